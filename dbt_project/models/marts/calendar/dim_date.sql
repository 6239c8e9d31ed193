with

reporting_period as (

    select * from {{ ref('int_calendar__reporting_period') }}

),

spine as (

    {{ dbt.date_spine(
        'day',
        '(select period_start_date from ' ~ ref('int_calendar__reporting_period') ~ ')',
        '(select ' ~ dbt.dateadd('day', 1, 'period_end_date') ~ ' from ' ~ ref('int_calendar__reporting_period') ~ ')'
    ) }}

),

final as (

    select
        cast(spine.date_day as date) as date_day,
        cast({{ dbt.date_trunc('week', 'spine.date_day') }} as date) as week_start_date,
        cast({{ dbt.date_trunc('month', 'spine.date_day') }} as date) as month_start_date,
        {{ dbt.datediff('reporting_period.period_start_date', 'spine.date_day', 'day') }} + 1
            as period_day_number
    from spine
    cross join reporting_period

)

select * from final
