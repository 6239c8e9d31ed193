{#- Dashboard slice of the product orders: one row per order with the customer's region and
    segment and the technology of the customer's home cell, so the global filters can apply.
    Orders of unknown customers keep null slices (they count when no filter is chosen).
    Fallout (fct_product_orders.is_fallout) gets a reason, the state the order fell into (held
    or failed; the first of the two), and a step: the last process-log activity of the order
    strictly before that moment (the step it fell out of; handling the fallout comes after). -#}
with

product_orders as (

    select * from {{ ref('fct_product_orders') }}

),

customers as (

    select * from {{ ref('dim_customer') }}

),

cells as (

    select * from {{ ref('dim_cell') }}

),

process_events as (

    select * from {{ ref('fct_process_events') }}
    where workflow = 'order_fulfilment'

),

fallout as (

    select
        order_id,
        case
            when failed_at is not null and (held_at is null or failed_at < held_at) then 'failed'
            when held_at is not null then 'held'
            else state
        end as fallout_reason,
        coalesce(least(held_at, failed_at), held_at, failed_at) as fallout_at
    from product_orders
    where is_fallout

),

fallout_steps as (

    select
        fallout.order_id,
        max_by(process_events.activity, process_events.event_time_utc) as fallout_step
    from fallout
    inner join process_events
        on fallout.order_id = process_events.case_id
        and (fallout.fallout_at is null or process_events.event_time_utc < fallout.fallout_at)
    group by fallout.order_id

),

final as (

    select
        product_orders.order_id,
        product_orders.customer_id,
        product_orders.channel,
        product_orders.state,
        product_orders.created_at,
        product_orders.requested_completion_at,
        product_orders.completed_at,
        product_orders.created_date,
        product_orders.completed_date,
        product_orders.is_completed,
        product_orders.is_on_time,
        product_orders.cycle_time_hours,
        product_orders.is_fallout,
        fallout.fallout_reason,
        fallout.fallout_at,
        case
            when product_orders.is_fallout
                then coalesce(fallout_steps.fallout_step, 'before any step')
        end as fallout_step,
        customers.region,
        customers.segment,
        cells.technology
    from product_orders
    left join customers
        on product_orders.customer_id = customers.customer_id
    left join cells
        on customers.home_cell_id = cells.cell_id
    left join fallout
        on product_orders.order_id = fallout.order_id
    left join fallout_steps
        on product_orders.order_id = fallout_steps.order_id

)

select * from final
order by created_date, order_id
