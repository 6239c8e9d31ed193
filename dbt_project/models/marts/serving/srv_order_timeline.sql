{#- An order's timeline for the drill-down: its process-log steps (who did each: human, system
    or both) and its TMF622 state changes, one row per event, sorted by order so a lookup of one
    order reads only a few row groups. -#}
with

process_events as (

    select * from {{ ref('stg_operations__process_events') }}
    where workflow = 'order_fulfilment'

),

order_events as (

    select * from {{ ref('stg_customer__order_events') }}

),

steps as (

    select
        case_id as order_id,
        event_time_utc,
        'process step' as event_kind,
        activity,
        resource,
        resource_type,
        task_category
    from process_events

),

state_changes as (

    select
        order_id,
        event_time_utc,
        'order state' as event_kind,
        state as activity,
        cast(null as {{ dbt.type_string() }}) as resource,
        cast(null as {{ dbt.type_string() }}) as resource_type,
        cast(null as {{ dbt.type_string() }}) as task_category
    from order_events
    where order_id is not null

),

final as (

    select * from steps
    union all
    select * from state_changes

)

select * from final
order by order_id, event_time_utc
