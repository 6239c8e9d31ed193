{#- One row per event of the operations process log, with who performed it and which workflow
    and task category it belongs to: as the log says (the CSV log carries all three), else from
    the editable reference tables `process_resource_types` (resource -> human / system /
    human+system) and `process_activity_map` (activity -> workflow, task category), for XES and
    OCEL logs that name resources and activities only (docs/kpi_definitions.md, Autonomy). An
    activity the map does not list gets workflow 'unmapped' (no KPI reads it). `is_task`: with
    lifecycle transitions only the `complete` event is the task (its `start` is the same task
    begun, and would count it twice); an event without a transition is a task. -#}
with

process_events as (

    select * from {{ ref('stg_operations__process_events') }}

),

resource_types as (

    select
        resource,
        {{ normalise_enum('resource_type') }} as resource_type
    from {{ ref('process_resource_types') }}

),

activity_map as (

    select
        activity,
        {{ normalise_enum('workflow') }} as workflow,
        {{ normalise_enum('task_category') }} as task_category
    from {{ ref('process_activity_map') }}

),

final as (

    select
        process_events.process_event_id,
        process_events.case_id,
        coalesce(process_events.workflow, activity_map.workflow, 'unmapped') as workflow,
        process_events.activity,
        process_events.event_time_utc,
        process_events.resource,
        coalesce(process_events.resource_type, resource_types.resource_type) as resource_type,
        coalesce(process_events.task_category, activity_map.task_category) as task_category,
        process_events.lifecycle_transition,
        coalesce(process_events.lifecycle_transition, 'complete') = 'complete' as is_task,
        process_events.source_format,
        process_events.source_file,
        process_events.source_record
    from process_events
    left join resource_types
        on process_events.resource = resource_types.resource
    left join activity_map
        on process_events.activity = activity_map.activity

)

select * from final
