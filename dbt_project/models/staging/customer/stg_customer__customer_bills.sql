with

source as (

    select * from {{ bronze_relation('customer', 'customer_bills') }}

),

renamed as (

    select
        cast(bill_id as {{ dbt.type_string() }}) as bill_id,
        cast(bill_no as {{ dbt.type_string() }}) as bill_no,
        cast(customer_id as {{ dbt.type_string() }}) as customer_id,
        cast(billing_account_id as {{ dbt.type_string() }}) as billing_account_id,
        {{ normalise_enum('state') }} as state,
        cast(bill_date as date) as bill_date,
        period_start as billing_period_start_at,
        period_end as billing_period_end_at,
        cast(amount_due as {{ type_double() }}) as amount_due,
        cast(tax_included_amount as {{ type_double() }}) as tax_included_amount,
        cast(tax_excluded_amount as {{ type_double() }}) as tax_excluded_amount,
        upper(currency) as currency,
        source_file,
        source_record

    from source

),

latest as (

    -- the same resource delivered in several extracts: keep its latest version
    {{ latest_per_key('renamed', 'bill_id') }}

)

select * from latest
