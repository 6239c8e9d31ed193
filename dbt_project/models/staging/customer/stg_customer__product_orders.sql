with

source as (

    select * from {{ bronze_relation('customer', 'product_orders') }}

),

renamed as (

    select
        cast(order_id as {{ dbt.type_string() }}) as order_id,
        cast(customer_id as {{ dbt.type_string() }}) as customer_id,
        {{ normalise_enum('channel') }} as channel,
        {{ normalise_enum('category') }} as category,
        {{ normalise_enum('priority') }} as priority,
        {{ normalise_enum('state') }} as state,
        creation_at as created_at,
        requested_completion_at,
        completion_at as completed_at,
        cast(product_offering_id as {{ dbt.type_string() }}) as product_offering_id,
        cast(product_offering_name as {{ dbt.type_string() }}) as product_offering_name,
        cast(product_id as {{ dbt.type_string() }}) as product_id,
        {{ normalise_enum('action') }} as order_action,
        cast(item_count as {{ dbt.type_int() }}) as item_count,
        {{ normalise_enum('install_type') }} as install_type,
        {{ normalise_enum('address_status') }} as address_status,
        source_file,
        source_record

    from source

),

latest as (

    -- the same resource delivered in several extracts: keep its latest version
    {{ latest_per_key('renamed', 'order_id') }}

)

select * from latest
