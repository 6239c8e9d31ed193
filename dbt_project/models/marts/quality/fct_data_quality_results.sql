{#- The Data health page reads this: the latest result of every expectation and freshness measure
    of every bronze dataset. -#}
with

results as (

    select * from {{ ref('stg_quality__check_results') }}

),

final as (

    select
        dataset,
        check_name,
        expectation,
        expectation_type,
        column_name,
        severity,
        is_success,
        not is_success and severity = 'error' as is_blocking_failure,
        unexpected_count,
        element_count,
        rows_total,
        is_sampled,
        observed,
        checked_at,
        run_id
    from results

)

select * from final
