{#- Dashboard slice of the product orders: one row per order with the customer's region and
    segment and the technology of the customer's home cell, so the global filters can apply.
    Orders of unknown customers keep null slices (they count when no filter is chosen). -#}
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
        customers.region,
        customers.segment,
        cells.technology
    from product_orders
    left join customers
        on product_orders.customer_id = customers.customer_id
    left join cells
        on customers.home_cell_id = cells.cell_id

)

select * from final
order by created_date, order_id
