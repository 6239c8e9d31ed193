{#- Alarm episodes per cell and alarm condition, exactly as docs/kpi_definitions.md ("Incidents",
    rule 1): events ordered by time, clears before raises at the same second; every event is
    numbered by the count of clears before it; the raises sharing a number form one episode,
    from its first raise to the next clear (none: the episode is still open, end null). -#}
with

alarm_events as (

    select * from {{ ref('stg_network__alarm_events') }}
    where cell_id is not null
        and not is_time_suspect
        and event_time_utc is not null
        and (is_clear or severity in ('critical', 'major', 'minor'))

),

numbered as (

    select
        cell_id,
        coalesce(alarm_condition, '') as alarm_condition,
        alarm_event_id,
        severity,
        specific_problem,
        is_clear,
        event_time_utc,
        coalesce(
            sum(case when is_clear then 1 else 0 end) over (
                partition by cell_id, coalesce(alarm_condition, '')
                order by event_time_utc, case when is_clear then 0 else 1 end, alarm_event_id
                rows between unbounded preceding and 1 preceding
            ),
            0
        ) as clears_before
    from alarm_events

),

raise_groups as (

    select
        cell_id,
        alarm_condition,
        clears_before,
        min(event_time_utc) as started_at,
        count(*) as raise_events,
        min(specific_problem) as specific_problem,
        min(alarm_event_id) as first_alarm_event_id
    from numbered
    where not is_clear
    group by cell_id, alarm_condition, clears_before

),

clears as (

    select
        cell_id,
        alarm_condition,
        clears_before,
        event_time_utc as cleared_at
    from numbered
    where is_clear

),

final as (

    select
        raise_groups.cell_id,
        raise_groups.alarm_condition,
        raise_groups.specific_problem,
        raise_groups.first_alarm_event_id,
        raise_groups.started_at,
        clears.cleared_at as ended_at,
        cast(raise_groups.raise_events as {{ dbt.type_bigint() }}) as raise_events
    from raise_groups
    left join clears
        on raise_groups.cell_id = clears.cell_id
        and raise_groups.alarm_condition = clears.alarm_condition
        and raise_groups.clears_before = clears.clears_before

)

select * from final
