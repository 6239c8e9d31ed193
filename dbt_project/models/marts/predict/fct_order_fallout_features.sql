{#- Features of the order fallout-risk model, one row per product order: only what is known when
    the order is created (channel, product, action, install type, address status, the
    customer's segment, the technology of the customer's home cell and how loaded that cell was
    over the 7 days before the order's day, whether the order_fulfilment automation was live),
    and the outcome (is_fallout: the order was held or failed). split is 'train' for orders
    created before the scoring window, 'score' for the ones inside it (fct_prediction_windows). -#}
with

orders as (

    select * from {{ ref('fct_product_orders') }}

),

staged_orders as (

    select order_id, install_type, address_status from {{ ref('stg_customer__product_orders') }}

),

customers as (

    select customer_id, segment, home_cell_id from {{ ref('stg_customer__customers') }}

),

cells as (

    select cell_id, technology from {{ ref('dim_cell') }}

),

cell_days as (

    select cell_id, date_day, prb_utilisation_dl_pct from {{ ref('fct_cell_quality_daily') }}

),

go_live as (

    select go_live_date from {{ ref('automation_go_live') }}
    where workflow = 'order_fulfilment'

),

scoring as (

    select distinct scoring_start_date from {{ ref('fct_prediction_windows') }}

),

home_load as (

    -- mean downlink PRB utilisation of the home cell over the 7 days before the order's day
    select
        orders.order_id,
        -- exact: a parallel mean of doubles differs in its last bits from one build to the next
        cast(sum({{ exact_sum_term('cell_days.prb_utilisation_dl_pct') }}) as {{ type_double() }})
        / count(cell_days.prb_utilisation_dl_pct) as home_cell_prb_7d_pct
    from orders
    inner join customers on orders.customer_id = customers.customer_id
    inner join cell_days
        on customers.home_cell_id = cell_days.cell_id
        and cell_days.date_day < orders.created_date
        and cell_days.date_day >= cast({{ dbt.dateadd('day', -7, 'orders.created_date') }} as date)
    group by 1

),

final as (

    select
        orders.order_id,
        orders.customer_id,
        orders.created_at,
        orders.created_date,
        orders.channel,
        orders.product_offering_id,
        orders.order_action,
        coalesce(staged_orders.install_type, 'unknown') as install_type,
        coalesce(staged_orders.address_status, 'unknown') as address_status,
        coalesce(customers.segment, 'unknown') as segment,
        coalesce(cells.technology, 'unknown') as home_cell_technology,
        cast(home_load.home_cell_prb_7d_pct as {{ type_double() }}) as home_cell_prb_7d_pct,
        coalesce(orders.created_date >= go_live.go_live_date, false) as is_automated,
        orders.is_fallout,
        cast(case when orders.created_date >= scoring.scoring_start_date then 'score' else 'train' end
            as {{ dbt.type_string() }}) as split
    from orders
    cross join scoring
    left join go_live on 1 = 1
    left join staged_orders on orders.order_id = staged_orders.order_id
    left join customers on orders.customer_id = customers.customer_id
    left join cells on customers.home_cell_id = cells.cell_id
    left join home_load on orders.order_id = home_load.order_id
    where orders.created_at is not null

)

select * from final
