{#- One row per case of the operations process log and its workflow (an order, an incident, a
    dispute): when it started and ended, how many tasks it had and who performed them. A task
    scores 0 when a human performed it, 1 for human and system together, 2 for a system. -#}
with

process_events as (

    select * from {{ ref('int_business__process_events_classified') }}
    where is_task

),

scored as (

    select
        *,
        {{ task_score('resource_type') }} as task_score
    from process_events

),

final as (

    select
        case_id,
        workflow,
        min(event_time_utc) as first_event_at,
        max(event_time_utc) as last_event_at,
        count(*) as task_count,
        sum(case when resource_type = 'human' then 1 else 0 end) as human_task_count,
        sum(case when resource_type = 'human+system' then 1 else 0 end) as human_system_task_count,
        sum(case when resource_type = 'system' then 1 else 0 end) as system_task_count,
        avg(task_score) as mean_task_score
    from scored
    group by case_id, workflow

)

select * from final
