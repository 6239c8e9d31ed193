with

source as (

    select * from {{ bronze_relation('customer', 'trouble_tickets') }}

),

renamed as (

    select
        cast(ticket_id as {{ dbt.type_string() }}) as ticket_id,
        cast(customer_id as {{ dbt.type_string() }}) as customer_id,
        cast(cell_id as {{ dbt.type_string() }}) as cell_id,
        {{ normalise_enum('ticket_type') }} as ticket_type,
        {{ normalise_enum('severity') }} as severity,
        {{ normalise_enum('priority') }} as priority,
        {{ normalise_enum('status') }} as status,
        creation_at as created_at,
        resolution_at as resolved_at,
        last_update_at as last_updated_at,
        source_file,
        source_record

    from source

),

latest as (

    -- the same resource delivered in several extracts: keep its latest version
    {{ latest_per_key('renamed', 'ticket_id', order_by='last_updated_at') }}

)

select * from latest
