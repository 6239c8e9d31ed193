{#- A table, not a view: a view's SQL would store the pseudonym key in the warehouse. -#}
{{ config(materialized='table') }}

with

source as (

    select * from {{ bronze_relation('customer', 'customers') }}

),

pseudonymised as (

    select
        cast(customer_id as {{ dbt.type_string() }}) as customer_id,
        {{ pseudonymise('customer_name') }} as customer_name_pseudonym,
        {{ pseudonymise('lower(email)') }} as email_pseudonym,
        {{ pseudonymise('msisdn') }} as msisdn_pseudonym,
        {{ pseudonymise('street_address') }} as street_address_pseudonym,
        {{ normalise_enum('segment') }} as segment,
        cast(region as {{ dbt.type_string() }}) as region,
        {{ normalise_enum('plan') }} as plan,
        cast(home_cell_id as {{ dbt.type_string() }}) as home_cell_id,
        cast(account_id as {{ dbt.type_string() }}) as account_id,
        {{ normalise_enum('status') }} as status,
        created_at,
        terminated_at,
        cast(customer_since as date) as customer_since,
        source_file,
        source_record

    from source

),

latest as (

    -- the same resource delivered in several extracts: keep its latest version
    {{ latest_per_key('pseudonymised', 'customer_id') }}

)

select * from latest
