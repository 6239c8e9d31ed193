{#- One row per process event. The same event can arrive in several files (one log exported
    as OCEL JSON and as OCEL XML, or a CSV re-delivered): the latest delivery of an event id is
    kept (latest_per_key), as for orders and tickets. Event ids are therefore taken to be unique
    across an operator's process logs (docs/landing_zone.md). -#}
with

source as (

    select * from {{ bronze_relation('operations', 'process_events') }}

),

renamed as (

    select
        cast(event_id as {{ dbt.type_string() }}) as process_event_id,
        cast(case_id as {{ dbt.type_string() }}) as case_id,
        {{ normalise_enum('workflow') }} as workflow,
        cast(activity as {{ dbt.type_string() }}) as activity,
        event_time_utc,
        cast(resource as {{ dbt.type_string() }}) as resource,
        {{ normalise_enum('resource_type') }} as resource_type,
        {{ normalise_enum('task_category') }} as task_category,
        lower(trim(cast(lifecycle_transition as {{ dbt.type_string() }}))) as lifecycle_transition,
        cast(source_format as {{ dbt.type_string() }}) as source_format,
        source_file,
        source_record

    from source

),

deduplicated as (

    {{ latest_per_key('renamed', 'process_event_id') }}

)

select * from deduplicated
