{#- The lifecycle of each product order, from its TMF622 state-change events: the first time
    each state was reached, the latest state, and whether the order fell out of the automated
    flow (ever held or failed). The order resource is the driving table: an order whose events
    were never delivered still has a row, with its state from the resource. -#}
with

product_orders as (

    select * from {{ ref('stg_customer__product_orders') }}

),

order_events as (

    -- the same event delivered twice (re-sent extract) counts once
    select distinct order_event_id, order_id, state, event_time_utc
    from {{ ref('stg_customer__order_events') }}
    where order_id is not null and event_time_utc is not null

),

state_times as (

    select
        order_id,
        min(case when state = 'acknowledged' then event_time_utc end) as acknowledged_at,
        min(case when state = 'in_progress' then event_time_utc end) as in_progress_at,
        min(case when state = 'held' then event_time_utc end) as held_at,
        min(case when state = 'failed' then event_time_utc end) as failed_at,
        min(case when state = 'completed' then event_time_utc end) as completed_event_at,
        min(case when state = 'cancelled' then event_time_utc end) as cancelled_at,
        min(case when state = 'rejected' then event_time_utc end) as rejected_at,
        count(*) as state_change_count,
        max(event_time_utc) as last_state_change_at
    from order_events
    group by order_id

),

latest_event as (

    select order_id, latest_event_state
    from (
        select
            order_id,
            state as latest_event_state,
            row_number() over (
                partition by order_id order by event_time_utc desc, order_event_id desc
            ) as recency_rank
        from order_events
    ) as ranked
    where recency_rank = 1

),

final as (

    select
        product_orders.order_id,
        product_orders.state,
        latest_event.latest_event_state,
        product_orders.created_at,
        state_times.acknowledged_at,
        state_times.in_progress_at,
        state_times.held_at,
        state_times.failed_at,
        coalesce(product_orders.completed_at, state_times.completed_event_at) as completed_at,
        state_times.cancelled_at,
        state_times.rejected_at,
        coalesce(state_times.state_change_count, 0) as state_change_count,
        state_times.last_state_change_at,
        (
            state_times.held_at is not null
            or state_times.failed_at is not null
            or product_orders.state in ('held', 'failed')
        ) as is_fallout
    from product_orders
    left join state_times
        on product_orders.order_id = state_times.order_id
    left join latest_event
        on product_orders.order_id = latest_event.order_id

)

select * from final
