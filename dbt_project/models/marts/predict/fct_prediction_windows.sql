{#- The time split of the predictive models (docs/predictions.md): the scoring window is the
    last third of the reporting period in whole weeks (at least one week); churn is assessed at
    the scoring start ('score') and at whole windows before it ('train') while at least a week of
    history lies before the assessment. Every row predicts the window_days that follow its
    assessment_date. Orders and cell-hours created before scoring_start_date train; the rest is
    scored. -#}
with

reporting_period as (

    select * from {{ ref('int_calendar__reporting_period') }}

),

dates as (

    select date_day from {{ ref('dim_date') }}

),

sized as (

    select
        period_start_date,
        period_end_date,
        7 * greatest(1, cast(round(period_days / cast(21.0 as {{ type_double() }})) as {{ dbt.type_int() }})) as window_days
    from reporting_period

),

split as (

    select
        period_start_date,
        period_end_date,
        window_days,
        cast({{ dbt.dateadd('day', '1 - window_days', 'period_end_date') }} as date)
            as scoring_start_date
    from sized

),

assessments as (

    select
        dates.date_day as assessment_date,
        split.window_days,
        split.scoring_start_date,
        split.period_start_date
    from dates
    cross join split
    where dates.date_day <= split.scoring_start_date
        and {{ dbt.datediff('split.period_start_date', 'dates.date_day', 'day') }} >= 7
        and mod({{ dbt.datediff('dates.date_day', 'split.scoring_start_date', 'day') }}, split.window_days) = 0

),

final as (

    select
        assessment_date,
        cast({{ dbt.dateadd('day', 'window_days', 'assessment_date') }} as date) as window_end_date,
        cast(window_days as {{ dbt.type_int() }}) as window_days,
        scoring_start_date,
        cast({{ dbt.datediff('period_start_date', 'assessment_date', 'day') }}
            as {{ dbt.type_int() }}) as history_days,
        cast(case when assessment_date = scoring_start_date then 'score' else 'train' end
            as {{ dbt.type_string() }}) as split
    from assessments

)

select * from final
