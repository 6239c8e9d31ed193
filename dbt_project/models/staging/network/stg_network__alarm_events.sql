with

source as (

    select * from {{ bronze_relation('network', 'alarm_events') }}

),

renamed as (

    select
        cast(event_id as {{ dbt.type_string() }}) as alarm_event_id,
        cast(event_name as {{ dbt.type_string() }}) as event_name,
        cast(source_name as {{ dbt.type_string() }}) as ne_id,
        cast(reporting_entity as {{ dbt.type_string() }}) as reporting_entity,
        cast(sequence as {{ dbt.type_bigint() }}) as event_sequence,
        cast(alarm_condition as {{ dbt.type_string() }}) as alarm_condition,
        cast(specific_problem as {{ dbt.type_string() }}) as specific_problem,
        {{ normalise_enum('severity') }} as severity,
        cast(is_clear as {{ dbt.type_boolean() }}) as is_clear,
        event_time_utc,
        last_time_utc,
        cast(alarm_interface as {{ dbt.type_string() }}) as meas_obj_ldn,
        cast(cell_id as {{ dbt.type_string() }}) as cell_id,
        coalesce(cast(time_suspect as {{ dbt.type_boolean() }}), false) as is_time_suspect,
        cast(alarm_id as {{ dbt.type_string() }}) as alarm_id,
        cast(source_format as {{ dbt.type_string() }}) as source_format,
        source_file,
        source_record

    from source

)

select * from renamed
