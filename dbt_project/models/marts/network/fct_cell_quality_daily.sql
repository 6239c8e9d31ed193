{#- Cell quality per UTC day, rolled up from the hourly fact the same way (sums, recomputed
    ratios, traffic-weighted throughput), with the share of the day's periods that were degraded
    (incident rules) and impaired (degraded, or with collapsed throughput): the cell-day quality
    customers experience. -#}
with

hourly as (

    select * from {{ ref('fct_cell_quality_hourly') }}

),

cells as (

    select cell_id, site_id, region, vendor, technology from {{ ref('dim_cell') }}

),

low_throughput as (

    select * from {{ ref('int_network__cell_low_throughput_periods') }}

),

impaired as (

    -- periods customers felt: degraded (incident rules) or with collapsed throughput
    select
        cell_kpis.cell_id,
        cell_kpis.period_date as date_day,
        sum(case when low_throughput.cell_id is not null then 1 else 0 end) as periods_low_throughput,
        sum(case when cell_kpis.is_degraded or low_throughput.cell_id is not null then 1 else 0 end)
            as periods_impaired
    from {{ ref('int_network__cell_kpis_15min') }} as cell_kpis
    left join low_throughput
        on cell_kpis.cell_id = low_throughput.cell_id
        and cell_kpis.period_end_utc = low_throughput.period_end_utc
    group by cell_kpis.cell_id, cell_kpis.period_date

),

daily as (

    select
        cell_id,
        date_day,
        sum(periods_reported) as periods_reported,
        sum(periods_degraded) as periods_degraded,
        sum(rrc_conn_estab_att) as rrc_conn_estab_att,
        sum(rrc_conn_estab_succ) as rrc_conn_estab_succ,
        sum(drb_rel_abnormal) as drb_rel_abnormal,
        sum(drb_rel_normal) as drb_rel_normal,
        sum(unavailable_time_s) as unavailable_time_s,
        sum(reported_time_s) as reported_time_s,
        sum(dl_user_throughput_kbps * rrc_conn_estab_succ) as dl_throughput_weighted,
        sum(case when dl_user_throughput_kbps is not null then rrc_conn_estab_succ end) as dl_throughput_weight,
        sum(ul_user_throughput_kbps * rrc_conn_estab_succ) as ul_throughput_weighted,
        sum(case when ul_user_throughput_kbps is not null then rrc_conn_estab_succ end) as ul_throughput_weight,
        sum(prb_utilisation_dl_pct * periods_reported) / nullif(sum(case when prb_utilisation_dl_pct is not null then periods_reported end), 0)
            as prb_utilisation_dl_pct,
        avg(latency_ms) as latency_ms
    from hourly
    group by cell_id, date_day

),

final as (

    select
        daily.cell_id,
        daily.date_day,
        cells.site_id,
        cells.region,
        cells.vendor,
        cells.technology,
        cast(daily.periods_reported as {{ dbt.type_int() }}) as periods_reported,
        cast(daily.periods_degraded as {{ dbt.type_int() }}) as periods_degraded,
        cast(cast(1.0 as {{ type_double() }}) * daily.periods_degraded / daily.periods_reported as {{ type_double() }}) as degraded_time_share,
        cast(coalesce(impaired.periods_low_throughput, 0) as {{ dbt.type_int() }}) as periods_low_throughput,
        cast(coalesce(impaired.periods_impaired, 0) as {{ dbt.type_int() }}) as periods_impaired,
        cast(cast(1.0 as {{ type_double() }}) * coalesce(impaired.periods_impaired, 0) / daily.periods_reported as {{ type_double() }})
            as impaired_time_share,
        cast(daily.rrc_conn_estab_att as {{ type_double() }}) as rrc_conn_estab_att,
        cast(daily.drb_rel_abnormal as {{ type_double() }}) as drb_rel_abnormal,
        cast(case when daily.rrc_conn_estab_att > 0 then cast(100.0 as {{ type_double() }}) * daily.rrc_conn_estab_succ / daily.rrc_conn_estab_att end
            as {{ type_double() }}) as accessibility_pct,
        cast(case
            when daily.drb_rel_abnormal + daily.drb_rel_normal > 0
                then cast(100.0 as {{ type_double() }}) * (1 - daily.drb_rel_abnormal / (daily.drb_rel_abnormal + daily.drb_rel_normal))
        end as {{ type_double() }}) as retainability_pct,
        cast(case when daily.reported_time_s > 0 then cast(100.0 as {{ type_double() }}) * (1 - daily.unavailable_time_s / daily.reported_time_s) end
            as {{ type_double() }}) as availability_pct,
        cast(case when daily.dl_throughput_weight > 0 then daily.dl_throughput_weighted / daily.dl_throughput_weight end
            as {{ type_double() }}) as dl_user_throughput_kbps,
        cast(case when daily.ul_throughput_weight > 0 then daily.ul_throughput_weighted / daily.ul_throughput_weight end
            as {{ type_double() }}) as ul_user_throughput_kbps,
        cast(round(daily.prb_utilisation_dl_pct, 6) as {{ type_double() }}) as prb_utilisation_dl_pct,
        cast(round(daily.latency_ms, 6) as {{ type_double() }}) as latency_ms,
        daily.periods_degraded > 0 as is_degraded
    from daily
    left join cells
        on daily.cell_id = cells.cell_id
    left join impaired
        on daily.cell_id = impaired.cell_id
        and daily.date_day = impaired.date_day

)

select * from final
