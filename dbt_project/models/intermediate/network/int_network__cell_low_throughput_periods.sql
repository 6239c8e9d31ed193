{#- PM periods in which a cell's DL user throughput collapsed: below `low_throughput_ratio` (dbt
    var, default 0.35) times the cell's own median DL user throughput at the same UTC hour of day
    over all the data (at least 7 periods of baseline). Throughput depends on the cell's load and
    band, so only a per-cell, per-hour baseline tells a degraded cell from a busy one. Not an
    incident rule (docs/kpi_definitions.md leaves throughput out of incidents); it is part of the
    quality customers experience (fct_cell_quality_daily.impaired_time_share). -#}
with

cell_kpis as (

    select
        cell_id,
        period_end_utc,
        period_date,
        dl_user_throughput_kbps,
        extract(hour from period_start_utc) as hour_of_day
    from {{ ref('int_network__cell_kpis_15min') }}
    where dl_user_throughput_kbps is not null

),

baseline as (

    select
        cell_id,
        hour_of_day,
        median(dl_user_throughput_kbps) as baseline_dl_throughput_kbps,
        count(*) as baseline_periods
    from cell_kpis
    group by cell_id, hour_of_day

),

final as (

    select
        cell_kpis.cell_id,
        cell_kpis.period_end_utc,
        cell_kpis.period_date,
        cast(cell_kpis.dl_user_throughput_kbps as {{ type_double() }}) as dl_user_throughput_kbps,
        cast(baseline.baseline_dl_throughput_kbps as {{ type_double() }}) as baseline_dl_throughput_kbps,
        cast(cell_kpis.dl_user_throughput_kbps / baseline.baseline_dl_throughput_kbps as {{ type_double() }})
            as throughput_ratio
    from cell_kpis
    inner join baseline
        on cell_kpis.cell_id = baseline.cell_id
        and cell_kpis.hour_of_day = baseline.hour_of_day
    where baseline.baseline_periods >= 7
        and baseline.baseline_dl_throughput_kbps > 0
        and cell_kpis.dl_user_throughput_kbps
            < {{ var('low_throughput_ratio', 0.35) }} * baseline.baseline_dl_throughput_kbps

)

select * from final
