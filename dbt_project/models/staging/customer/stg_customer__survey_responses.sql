with

source as (

    select * from {{ bronze_relation('customer', 'survey_responses') }}

),

renamed as (

    select
        cast(response_id as {{ dbt.type_string() }}) as response_id,
        cast(customer_id as {{ dbt.type_string() }}) as customer_id,
        {{ normalise_enum('channel') }} as channel,
        cast(response_date as date) as response_date,
        cast(nps_score as {{ dbt.type_int() }}) as nps_score,
        cast(csat_score as {{ dbt.type_int() }}) as csat_score,
        source_file,
        source_record

    from source

)

select * from renamed
