{#- ROI benefit per lever, workflow and UTC day of the reporting period (docs/kpi_definitions.md,
    ROI of automation). Counterfactual = the workflow's baseline rate (outcome per case over all
    its cases before go-live) x the day's after-go-live cases; avoided = counterfactual - actual;
    benefit = avoided x the lever's money from roi_assumptions. Benefit is linear in the cases,
    so any period's benefit is the sum of its days. The leakage lever (workflow 'platform') is
    the leakage amount of each billing month x leakage_recovery_share, on the month's last day
    in the period (bills run at the month's end). -#}
with

case_outcomes as (

    select * from {{ ref('int_business__roi_case_outcomes') }}

),

revenue_leakage as (

    select * from {{ ref('fct_revenue_leakage') }}

),

assumptions as (

    select * from {{ ref('int_business__roi_assumptions') }}

),

dates as (

    select * from {{ ref('dim_date') }}

),

baseline as (

    select
        lever,
        workflow,
        count(*) as baseline_cases,
        -- a double before dividing: Spark divides decimals to 6 places, DuckDB as doubles
        cast(sum({{ exact_sum_term('outcome') }}) as {{ type_double() }}) / count(*) as baseline_rate
    from case_outcomes
    where not is_after_go_live
    group by 1, 2

),

after_daily as (

    select
        case_outcomes.lever,
        case_outcomes.workflow,
        case_outcomes.started_date as date_day,
        count(*) as after_cases,
        sum({{ exact_sum_term('case_outcomes.outcome') }}) as actual_outcome
    from case_outcomes
    inner join dates
        on case_outcomes.started_date = dates.date_day
    where case_outcomes.is_after_go_live
    group by 1, 2, 3

),

case_levers as (

    select
        after_daily.lever,
        after_daily.workflow,
        after_daily.date_day,
        after_daily.after_cases,
        after_daily.actual_outcome,
        baseline.baseline_rate,
        -- a workflow without baseline cases contributes nothing
        coalesce(baseline.baseline_rate * after_daily.after_cases, after_daily.actual_outcome)
            as counterfactual_outcome,
        case after_daily.lever
            when 'labour' then assumptions.loaded_labour_rate_per_hour
            when 'fallout' then assumptions.cost_per_fallout
            when 'truck_rolls' then assumptions.truck_roll_cost
            when 'churn' then assumptions.customer_value
        end as unit_value
    from after_daily
    cross join assumptions
    left join baseline
        on after_daily.lever = baseline.lever
        and after_daily.workflow = baseline.workflow

),

month_last_days as (

    select month_start_date, max(date_day) as date_day
    from dates
    group by 1

),

leakage_lever as (

    select
        'leakage' as lever,
        'platform' as workflow,
        month_last_days.date_day,
        count(*) as after_cases,
        0.0 as actual_outcome,
        cast(null as {{ type_double() }}) as baseline_rate,
        sum({{ exact_sum_term('revenue_leakage.leakage_amount') }}) as counterfactual_outcome,
        max(assumptions.leakage_recovery_share) as unit_value
    from revenue_leakage
    cross join assumptions
    inner join month_last_days
        on revenue_leakage.billing_month = month_last_days.month_start_date
    group by 1, 2, 3

),

all_levers as (

    select * from case_levers
    union all
    select * from leakage_lever

),

final as (

    select
        cast(all_levers.lever as {{ dbt.type_string() }}) as lever,
        cast(all_levers.workflow as {{ dbt.type_string() }}) as workflow,
        cast(all_levers.date_day as date) as date_day,
        cast(dates.month_start_date as date) as month_start_date,
        cast(all_levers.after_cases as {{ dbt.type_bigint() }}) as after_cases,
        cast(all_levers.actual_outcome as {{ type_double() }}) as actual_outcome,
        cast(all_levers.baseline_rate as {{ type_double() }}) as baseline_rate,
        cast(all_levers.counterfactual_outcome as {{ type_double() }}) as counterfactual_outcome,
        cast(all_levers.counterfactual_outcome - all_levers.actual_outcome as {{ type_double() }})
            as avoided_outcome,
        cast(coalesce(all_levers.unit_value, 0.0) as {{ type_double() }}) as unit_value,
        cast(
            (all_levers.counterfactual_outcome - all_levers.actual_outcome)
            * coalesce(all_levers.unit_value, 0.0)
            as {{ type_double() }}
        ) as benefit
    from all_levers
    inner join dates
        on all_levers.date_day = dates.date_day

)

select * from final
