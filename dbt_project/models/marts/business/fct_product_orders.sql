{#- On-time delivery and cycle time follow TMF622: completionDate against requestedCompletionDate,
    completionDate minus creationDate. Only completed orders carry them; cancelled and rejected
    orders never complete, so they are outside both. Fallout (held or failed: the order left the
    automated flow) comes from the order's state-change events (int_business__order_lifecycle). -#}
with

product_orders as (

    select * from {{ ref('stg_customer__product_orders') }}

),

order_lifecycle as (

    select * from {{ ref('int_business__order_lifecycle') }}

),

flagged as (

    select
        product_orders.*,
        product_orders.state = 'completed' and product_orders.completed_at is not null
            as is_completed,
        coalesce(order_lifecycle.is_fallout, product_orders.state in ('held', 'failed'))
            as is_fallout,
        order_lifecycle.held_at,
        order_lifecycle.failed_at,
        order_lifecycle.cancelled_at,
        order_lifecycle.rejected_at
    from product_orders
    left join order_lifecycle
        on product_orders.order_id = order_lifecycle.order_id

),

final as (

    select
        order_id,
        customer_id,
        channel,
        category,
        priority,
        state,
        product_offering_id,
        product_offering_name,
        product_id,
        order_action,
        item_count,
        created_at,
        requested_completion_at,
        completed_at,
        held_at,
        failed_at,
        cancelled_at,
        rejected_at,
        cast(created_at as date) as created_date,
        cast(completed_at as date) as completed_date,
        is_completed,
        is_fallout,
        case
            -- no promised date: completed, but not on time
            when is_completed then coalesce(completed_at <= requested_completion_at, false)
        end as is_on_time,
        case
            -- a completion before the creation (dates_inconsistent) has no cycle time
            when is_completed and completed_at >= created_at
                then {{ dbt.datediff('created_at', 'completed_at', 'second') }} / cast(3600.0 as {{ type_double() }})
        end as cycle_time_hours
    from flagged

)

select * from final
