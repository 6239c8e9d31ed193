with

source as (

    select * from {{ bronze_relation('customer', 'order_events') }}

),

renamed as (

    select
        cast(event_id as {{ dbt.type_string() }}) as order_event_id,
        cast(event_type as {{ dbt.type_string() }}) as event_type,
        event_time_utc,
        cast(order_id as {{ dbt.type_string() }}) as order_id,
        {{ normalise_enum('state') }} as state,
        source_file,
        source_record

    from source

)

select * from renamed
