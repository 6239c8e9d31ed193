{#- MTTR trend: trouble tickets resolved per time grain (day, ISO week) and ticket type, with
    the median and 90th percentile of their resolution time (resolution - creation, hours).
    Dated by resolution; 'all' rows roll up every ticket type exactly. -#}
with

trouble_tickets as (

    select * from {{ ref('fct_trouble_tickets') }}

),

dates as (

    select * from {{ ref('dim_date') }}

),

resolved as (

    select ticket_type, resolved_date as date_day, resolution_hours
    from trouble_tickets
    where is_resolved

),

with_grain as (

    select 'day' as time_grain, dates.date_day as period_start_date, resolved.*
    from resolved
    inner join dates on resolved.date_day = dates.date_day
    union all
    select 'week' as time_grain, dates.week_start_date as period_start_date, resolved.*
    from resolved
    inner join dates on resolved.date_day = dates.date_day

),

aggregated as (

    select
        time_grain,
        period_start_date,
        ticket_type,
        grouping(ticket_type) as is_all_types,
        count(*) as tickets_resolved,
        -- over whole seconds (exact integer sums), so the mean does not depend on the order
        -- parallel threads add rows in: a rebuild of the same data gives the same bytes
        avg(cast(round(resolution_hours * 3600) as bigint)) / cast(3600.0 as {{ type_double() }}) as mttr_mean_hours,
        {{ percentile_cont('resolution_hours', 0.5) }} as mttr_median_hours,
        {{ percentile_cont('resolution_hours', 0.9) }} as mttr_p90_hours
    from with_grain
    group by grouping sets (
        (time_grain, period_start_date, ticket_type),
        (time_grain, period_start_date)
    )

),

final as (

    select
        cast(time_grain as {{ dbt.type_string() }}) as time_grain,
        cast(period_start_date as date) as period_start_date,
        cast(
            case when is_all_types = 1 then 'all' else coalesce(ticket_type, 'unknown') end
            as {{ dbt.type_string() }}
        ) as ticket_type,
        cast(tickets_resolved as {{ dbt.type_bigint() }}) as tickets_resolved,
        cast(round(mttr_mean_hours, 4) as {{ type_double() }}) as mttr_mean_hours,
        cast(round(mttr_median_hours, 4) as {{ type_double() }}) as mttr_median_hours,
        cast(round(mttr_p90_hours, 4) as {{ type_double() }}) as mttr_p90_hours
    from aggregated

)

select * from final
