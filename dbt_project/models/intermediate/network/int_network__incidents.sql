{#- Incidents per cell: alarm episodes and degraded PM periods grouped, exactly as
    docs/kpi_definitions.md ("Incidents", rules 2-3). Per cell, intervals sorted by start (then
    end, open last); an interval joins the current incident when it starts at most 900 s after
    the latest end seen so far; an open alarm episode (end null) absorbs everything after it.
    Built over all data (not a window), so a reporting window never splits an incident. -#}
with

alarm_episodes as (

    select * from {{ ref('int_network__alarm_episodes') }}

),

degraded_periods as (

    select * from {{ ref('int_network__cell_kpis_15min') }}
    where is_degraded

),

intervals as (

    select
        cell_id,
        'alarm' as member_type,
        started_at,
        ended_at,
        started_at as detectable_at,
        alarm_condition,
        0 as unavailable_periods,
        0 as low_accessibility_periods,
        0 as high_drop_rate_periods
    from alarm_episodes

    union all

    select
        cell_id,
        'degraded_period' as member_type,
        {{ dbt.dateadd('second', -900, 'period_end_utc') }} as started_at,
        period_end_utc as ended_at,
        -- a degraded period is known once its counters are in: at the period's end
        period_end_utc as detectable_at,
        cast(null as {{ dbt.type_string() }}) as alarm_condition,
        case when is_unavailable then 1 else 0 end as unavailable_periods,
        case when is_low_accessibility then 1 else 0 end as low_accessibility_periods,
        case when is_high_drop_rate then 1 else 0 end as high_drop_rate_periods
    from degraded_periods

),

ordered as (

    select
        *,
        max(coalesce(ended_at, cast('9999-12-31' as {{ dbt.type_timestamp() }}))) over (
            partition by cell_id
            order by started_at, ended_at nulls last, member_type, alarm_condition
            rows between unbounded preceding and 1 preceding
        ) as latest_end_before
    from intervals

),

flagged as (

    select
        *,
        case
            when latest_end_before is null then 1
            when started_at > {{ dbt.dateadd('second', 900, 'latest_end_before') }} then 1
            else 0
        end as starts_incident
    from ordered

),

grouped as (

    select
        *,
        sum(starts_incident) over (
            partition by cell_id
            order by started_at, ended_at nulls last, member_type, alarm_condition
            rows between unbounded preceding and current row
        ) as incident_seq
    from flagged

),

conditions as (

    select distinct cell_id, incident_seq, alarm_condition
    from grouped
    where alarm_condition is not null

),

condition_lists as (

    select
        cell_id,
        incident_seq,
        {{ sorted_string_agg('alarm_condition', "', '") }} as alarm_conditions
    from conditions
    group by cell_id, incident_seq

),

incidents as (

    select
        cell_id,
        incident_seq,
        min(started_at) as started_at,
        case when count(*) = count(ended_at) then max(ended_at) end as ended_at,
        min(detectable_at) as first_detectable_at,
        min(case when member_type = 'alarm' then started_at end) as first_alarm_at,
        min(case when member_type = 'degraded_period' then ended_at end) as first_degraded_period_end_at,
        sum(case when member_type = 'alarm' then 1 else 0 end) as alarm_episodes,
        sum(case when member_type = 'degraded_period' then 1 else 0 end) as degraded_periods,
        sum(unavailable_periods) as unavailable_periods,
        sum(low_accessibility_periods) as low_accessibility_periods,
        sum(high_drop_rate_periods) as high_drop_rate_periods
    from grouped
    group by cell_id, incident_seq

),

final as (

    select
        incidents.cell_id || '@' || {{ format_instant_id('incidents.started_at') }} as incident_id,
        incidents.cell_id,
        incidents.started_at,
        incidents.ended_at,
        incidents.first_detectable_at,
        incidents.first_alarm_at,
        incidents.first_degraded_period_end_at,
        cast(incidents.alarm_episodes as {{ dbt.type_bigint() }}) as alarm_episodes,
        cast(incidents.degraded_periods as {{ dbt.type_bigint() }}) as degraded_periods,
        cast(incidents.unavailable_periods as {{ dbt.type_bigint() }}) as unavailable_periods,
        cast(incidents.low_accessibility_periods as {{ dbt.type_bigint() }}) as low_accessibility_periods,
        cast(incidents.high_drop_rate_periods as {{ dbt.type_bigint() }}) as high_drop_rate_periods,
        condition_lists.alarm_conditions
    from incidents
    left join condition_lists
        on incidents.cell_id = condition_lists.cell_id
        and incidents.incident_seq = condition_lists.incident_seq

)

select * from final
