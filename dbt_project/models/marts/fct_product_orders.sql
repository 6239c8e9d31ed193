{#- On-time delivery and cycle time follow TMF622: completionDate against requestedCompletionDate,
    completionDate minus creationDate. Only completed orders carry them. -#}
with

product_orders as (

    select * from {{ ref('stg_customer__product_orders') }}

),

flagged as (

    select
        *,
        state = 'completed' and completed_at is not null as is_completed
    from product_orders

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
        cast(created_at as date) as created_date,
        cast(completed_at as date) as completed_date,
        is_completed,
        case
            when is_completed then completed_at <= requested_completion_at
        end as is_on_time,
        case
            when is_completed
                then {{ dbt.datediff('created_at', 'completed_at', 'second') }} / 3600.0
        end as cycle_time_hours
    from flagged

)

select * from final
