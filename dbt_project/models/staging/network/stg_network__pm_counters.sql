{#- A view, unlike the other staging models: the radio counters are the largest source by far,
    and their one reader (int_network__cell_kpis_15min) rebuilds only changed days, so a view
    reads just those days' bronze instead of copying every counter at every build. -#}
{{ config(materialized='view') }}

with

source as (

    select * from {{ bronze_relation('network', 'pm_counters') }}

),

renamed as (

    select
        cast(ne_id as {{ dbt.type_string() }}) as ne_id,
        cast(meas_obj_ldn as {{ dbt.type_string() }}) as meas_obj_ldn,
        cast(meas_info_id as {{ dbt.type_string() }}) as meas_info_id,
        cast(counter as {{ dbt.type_string() }}) as counter_name,
        cast(granularity_s as {{ dbt.type_int() }}) as granularity_s,
        period_end_utc,
        {{ dbt.dateadd('second', '-cast(granularity_s as ' ~ dbt.type_int() ~ ')', 'period_end_utc') }} as period_start_utc,
        cast(value as {{ type_double() }}) as counter_value,
        cast(suspect as {{ dbt.type_boolean() }}) as is_suspect,
        cast(file_sender as {{ dbt.type_string() }}) as file_sender,
        source_file,
        source_record

    from source

)

select * from renamed
