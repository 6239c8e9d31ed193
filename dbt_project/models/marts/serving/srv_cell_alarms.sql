{#- Alarm episodes per cell (raise to clear), for the Service page's drill to a cell: its KPI
    time series with the alarms overlaid. Sorted by cell so one cell's lookup reads little. -#}
select
    cell_id,
    alarm_condition,
    specific_problem,
    started_at,
    ended_at,
    raise_events
from {{ ref('int_network__alarm_episodes') }}
order by cell_id, started_at
