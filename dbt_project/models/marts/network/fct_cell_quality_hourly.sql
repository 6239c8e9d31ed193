{#- Cell quality per UTC hour, rolled up from the 15-minute radio KPIs: counts are summed, ratios
    recomputed from the summed counts, throughputs weighted by successful RRC connections (users
    served), PRB utilisation and latency averaged over the periods that report them (6 decimals).
    Incremental by UTC day like its source (see macros/incremental_days.sql). -#}
{{
    config(**day_incremental_config('date_day'))
}}

with

cell_kpis as (

    select * from {{ ref('int_network__cell_kpis_15min') }}
    where {{ incremental_days_filter('period_date', 'date_day') }}

),

hourly as (

    select
        cell_id,
        period_date as date_day,
        period_hour_utc as hour_start_utc,
        count(*) as periods_reported,
        sum(case when is_degraded then 1 else 0 end) as periods_degraded,
        sum(granularity_s) as reported_time_s,
        sum(rrc_conn_estab_att) as rrc_conn_estab_att,
        sum(rrc_conn_estab_succ) as rrc_conn_estab_succ,
        sum(drb_rel_abnormal) as drb_rel_abnormal,
        sum(drb_rel_normal) as drb_rel_normal,
        sum(least(cell_unavail_time_s, granularity_s)) as unavailable_time_s,
        sum(case when dl_user_throughput_kbps is not null then dl_user_throughput_kbps * rrc_conn_estab_succ end)
            as dl_throughput_weighted,
        sum(case when dl_user_throughput_kbps is not null then rrc_conn_estab_succ end) as dl_throughput_weight,
        sum(case when ul_user_throughput_kbps is not null then ul_user_throughput_kbps * rrc_conn_estab_succ end)
            as ul_throughput_weighted,
        sum(case when ul_user_throughput_kbps is not null then rrc_conn_estab_succ end) as ul_throughput_weight,
        avg(prb_utilisation_dl_pct) as prb_utilisation_dl_pct,
        avg(latency_ms) as latency_ms
    from cell_kpis
    group by cell_id, period_date, period_hour_utc

),

final as (

    select
        cell_id,
        date_day,
        hour_start_utc,
        cast(periods_reported as {{ dbt.type_int() }}) as periods_reported,
        cast(periods_degraded as {{ dbt.type_int() }}) as periods_degraded,
        cast(rrc_conn_estab_att as {{ type_double() }}) as rrc_conn_estab_att,
        cast(rrc_conn_estab_succ as {{ type_double() }}) as rrc_conn_estab_succ,
        cast(drb_rel_abnormal as {{ type_double() }}) as drb_rel_abnormal,
        cast(drb_rel_normal as {{ type_double() }}) as drb_rel_normal,
        cast(reported_time_s as {{ type_double() }}) as reported_time_s,
        cast(unavailable_time_s as {{ type_double() }}) as unavailable_time_s,
        cast(case when rrc_conn_estab_att > 0 then cast(100.0 as {{ type_double() }}) * rrc_conn_estab_succ / rrc_conn_estab_att end
            as {{ type_double() }}) as accessibility_pct,
        cast(case
            when drb_rel_abnormal + drb_rel_normal > 0
                then cast(100.0 as {{ type_double() }}) * (1 - drb_rel_abnormal / (drb_rel_abnormal + drb_rel_normal))
        end as {{ type_double() }}) as retainability_pct,
        cast(case when reported_time_s > 0 then cast(100.0 as {{ type_double() }}) * (1 - unavailable_time_s / reported_time_s) end
            as {{ type_double() }}) as availability_pct,
        cast(case when dl_throughput_weight > 0 then dl_throughput_weighted / dl_throughput_weight end
            as {{ type_double() }}) as dl_user_throughput_kbps,
        cast(case when ul_throughput_weight > 0 then ul_throughput_weighted / ul_throughput_weight end
            as {{ type_double() }}) as ul_user_throughput_kbps,
        -- means of decimal values depend on summation order in the last bits: rounded so that
        -- rebuilding a day always gives identical rows
        cast(round(prb_utilisation_dl_pct, 6) as {{ type_double() }}) as prb_utilisation_dl_pct,
        cast(round(latency_ms, 6) as {{ type_double() }}) as latency_ms,
        periods_degraded > 0 as is_degraded,
        cast('{{ invocation_id }}' as {{ dbt.type_string() }}) as dbt_invocation_id
    from hourly

)

select * from final
