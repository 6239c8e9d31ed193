{#- The role of each task category in each workflow-month (docs/kpi_definitions.md, Autonomy):
    every workflow-month with at least one scored task in the period gets all five categories;
    a category without tasks is Human with mean score 0. Role rule: macro autonomy_role. The
    category's weight in the decimal score (seed autonomy_category_weights, missing: 0) rides along. -#}
with

task_daily as (

    select * from {{ ref('kpi_autonomy_task_daily') }}

),

workflow_months as (

    select distinct workflow, month_start_date
    from task_daily

),

categories as (

    select 'execution' as task_category, 1 as category_order
    union all select 'awareness', 2
    union all select 'analysis', 3
    union all select 'decision', 4
    union all select 'intent', 5

),

weights as (

    select * from {{ ref('autonomy_category_weights') }}

),

category_totals as (

    select
        workflow,
        month_start_date,
        task_category,
        sum(tasks_scored) as tasks_scored,
        sum(task_score_sum) as task_score_sum,
        sum(system_tasks) as system_tasks
    from task_daily
    group by 1, 2, 3

),

final as (

    select
        cast(workflow_months.workflow as {{ dbt.type_string() }}) as workflow,
        cast(workflow_months.month_start_date as date) as month_start_date,
        cast(categories.task_category as {{ dbt.type_string() }}) as task_category,
        cast(categories.category_order as {{ dbt.type_int() }}) as category_order,
        cast(coalesce(category_totals.tasks_scored, 0) as {{ dbt.type_bigint() }}) as tasks_scored,
        cast(coalesce(category_totals.task_score_sum, 0) as {{ dbt.type_bigint() }})
            as task_score_sum,
        cast(
            case
                when category_totals.tasks_scored > 0
                    then cast(1.0 as {{ type_double() }}) * category_totals.system_tasks / category_totals.tasks_scored
            end
            as {{ type_double() }}
        ) as system_task_share,
        cast(
            case
                when category_totals.tasks_scored > 0
                    then cast(1.0 as {{ type_double() }}) * category_totals.task_score_sum / category_totals.tasks_scored
                else 0.0
            end
            as {{ type_double() }}
        ) as mean_task_score,
        cast(
            {{ autonomy_role('category_totals.tasks_scored', 'category_totals.task_score_sum') }}
            as {{ dbt.type_string() }}
        ) as role,
        cast(coalesce(weights.weight, 0.0) as {{ type_double() }}) as score_weight
    from workflow_months
    cross join categories
    left join weights
        on categories.task_category = weights.task_category
    left join category_totals
        on workflow_months.workflow = category_totals.workflow
        and workflow_months.month_start_date = category_totals.month_start_date
        and categories.task_category = category_totals.task_category

)

select * from final
