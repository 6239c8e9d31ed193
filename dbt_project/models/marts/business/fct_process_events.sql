{#- One row per task of the operations process log, scored by who performed it: human 0, human
    and system together 1, system 2 (macro task_score). Dated by its UTC timestamp. A task is an
    event of int_business__process_events_classified with is_task (a lifecycle `start` is not one). -#}
with

process_events as (

    select * from {{ ref('int_business__process_events_classified') }}
    where is_task

),

final as (

    select
        process_event_id,
        case_id,
        workflow,
        activity,
        event_time_utc,
        cast(event_time_utc as date) as event_date,
        cast({{ dbt.date_trunc('month', 'event_time_utc') }} as date) as event_month,
        resource,
        resource_type,
        task_category,
        {{ task_score('resource_type') }} as task_score
    from process_events

)

select * from final
