with

source as (

    select * from {{ bronze_relation('customer', 'usage') }}

),

renamed as (

    select
        cast(usage_id as {{ dbt.type_string() }}) as usage_id,
        cast(customer_id as {{ dbt.type_string() }}) as customer_id,
        cast(product_id as {{ dbt.type_string() }}) as product_id,
        {{ normalise_enum('usage_type') }} as usage_type,
        {{ normalise_enum('status') }} as status,
        usage_date as usage_at,
        cast(serving_cell_id as {{ dbt.type_string() }}) as serving_cell_id,
        cast(volume_mb as {{ type_double() }}) as volume_mb,
        cast(duration_s as {{ type_double() }}) as duration_s,
        source_file,
        source_record

    from source

)

select * from renamed
