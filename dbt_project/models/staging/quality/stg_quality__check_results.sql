with

source as (

    select * from {{ bronze_relation('quality', 'check_results') }}

),

renamed as (

    select
        cast(dataset as {{ dbt.type_string() }}) as dataset,
        cast(check_name as {{ dbt.type_string() }}) as check_name,
        cast(expectation as {{ dbt.type_string() }}) as expectation,
        cast(expectation_type as {{ dbt.type_string() }}) as expectation_type,
        cast(column_name as {{ dbt.type_string() }}) as column_name,
        lower(cast(severity as {{ dbt.type_string() }})) as severity,
        cast(success as boolean) as is_success,
        cast(unexpected_count as {{ dbt.type_bigint() }}) as unexpected_count,
        cast(element_count as {{ dbt.type_bigint() }}) as element_count,
        cast(observed as {{ dbt.type_string() }}) as observed,
        cast(rows_total as {{ dbt.type_bigint() }}) as rows_total,
        cast(sampled as boolean) as is_sampled,
        checked_at,
        cast(run_id as {{ dbt.type_string() }}) as run_id

    from source

)

select * from renamed
