with

source as (

    select * from {{ bronze_relation('customer', 'billing_rates') }}

),

renamed as (

    select
        cast(rate_id as {{ dbt.type_string() }}) as billing_rate_id,
        cast(bill_id as {{ dbt.type_string() }}) as bill_id,
        cast(product_id as {{ dbt.type_string() }}) as product_id,
        cast(billing_account_id as {{ dbt.type_string() }}) as billing_account_id,
        {{ normalise_enum('rate_type') }} as rate_type,
        cast(rate_name as {{ dbt.type_string() }}) as rate_name,
        rate_date as rated_at,
        cast(amount as {{ type_double() }}) as tax_excluded_amount,
        upper(currency) as currency,
        source_file,
        source_record

    from source

),

latest as (

    -- the same resource delivered in several extracts: keep its latest version
    {{ latest_per_key('renamed', 'billing_rate_id') }}

)

select * from latest
