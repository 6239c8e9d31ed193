{#- Autonomy per workflow and month: the integer level (3GPP TS 28.100 Table 5-1, macro
    autonomy_level) from the five categories' roles, and the decimal score
    2.5 * sum(weight * mean task score) / sum(weight) with the weights of the editable seed
    autonomy_category_weights (a category missing from it weighs 0; no weight at all -> null).
    The roles stay beside the level so the dashboard can show why. -#}
with

category_monthly as (

    select * from {{ ref('kpi_autonomy_category_monthly') }}

),

weighted as (

    select
        category_monthly.*,
        category_monthly.score_weight as weight
    from category_monthly

),

pivoted as (

    select
        workflow,
        month_start_date,
        max(case when task_category = 'execution' then role end) as role_execution,
        max(case when task_category = 'awareness' then role end) as role_awareness,
        max(case when task_category = 'analysis' then role end) as role_analysis,
        max(case when task_category = 'decision' then role end) as role_decision,
        max(case when task_category = 'intent' then role end) as role_intent,
        sum(weight * mean_task_score) as weighted_score_sum,
        sum(weight) as weight_sum,
        sum(tasks_scored) as tasks_scored
    from weighted
    group by 1, 2

),

final as (

    select
        cast(workflow as {{ dbt.type_string() }}) as workflow,
        cast(month_start_date as date) as month_start_date,
        cast({{ year_month_label('month_start_date') }} as {{ dbt.type_string() }}) as month_label,
        cast({{ autonomy_level(
            autonomy_role_rank('role_execution'),
            autonomy_role_rank('role_awareness'),
            autonomy_role_rank('role_analysis'),
            autonomy_role_rank('role_decision'),
            autonomy_role_rank('role_intent')
        ) }} as {{ dbt.type_int() }}) as autonomy_level,
        cast(
            case when weight_sum > 0 then round(cast(2.5 as {{ type_double() }}) * weighted_score_sum / weight_sum, 4) end
            as {{ type_double() }}
        ) as autonomy_score,
        cast(role_execution as {{ dbt.type_string() }}) as role_execution,
        cast(role_awareness as {{ dbt.type_string() }}) as role_awareness,
        cast(role_analysis as {{ dbt.type_string() }}) as role_analysis,
        cast(role_decision as {{ dbt.type_string() }}) as role_decision,
        cast(role_intent as {{ dbt.type_string() }}) as role_intent,
        cast(tasks_scored as {{ dbt.type_bigint() }}) as tasks_scored
    from pivoted

)

select * from final
