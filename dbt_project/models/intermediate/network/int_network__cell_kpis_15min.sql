{#- Radio KPIs per cell and 15-minute PM period, from the raw counters.

    Vendor counter names become canonical ones through the counter_name_map seed (a vendor's own
    row wins over the `*` row). The same counter of the same cell and period delivered twice
    keeps its latest delivery; values flagged suspect by the file are not used.
    Incremental by UTC day (see macros/incremental_days.sql): a run (re)builds whole days. -#}
{{
    config(**day_incremental_config('period_date'))
}}

with

pm_counters as (

    select * from {{ ref('stg_network__pm_counters') }}
    where {{ incremental_days_filter('period_end_utc', 'period_date', period_end=true) }}

),

cells as (

    select cell_id, meas_obj_ldn, vendor from {{ ref('stg_network__cells') }}

),

counter_name_map as (

    select * from {{ ref('counter_name_map') }}

),

-- The order of deliveries as one number per row (greater = later): the vendor's own counter name
-- before the generic one, then the later source file, then the later record of the file. Files
-- and record paths are ranked among their distinct values (a few thousand), so the grouped
-- max_by below keeps a fixed-size state per group instead of strings.
delivery_files as (

    select source_file, dense_rank() over (order by source_file) as file_rank
    from (select distinct source_file from pm_counters) as files

),

delivery_records as (

    select source_record, dense_rank() over (order by source_record) as record_rank
    from (select distinct source_record from pm_counters) as records

),

mapped as (

    select
        cells.cell_id,
        pm_counters.period_end_utc,
        pm_counters.granularity_s,
        coalesce(vendor_map.canonical_counter, any_vendor_map.canonical_counter) as canonical_counter,
        pm_counters.counter_value,
        cast(
            case when vendor_map.canonical_counter is not null then 1 else 0 end * 4611686018427387904
            + delivery_files.file_rank * 68719476736
            + delivery_records.record_rank
            as {{ dbt.type_bigint() }}
        ) as delivery_order
    from pm_counters
    inner join cells
        on pm_counters.meas_obj_ldn = cells.meas_obj_ldn
    inner join delivery_files
        on pm_counters.source_file = delivery_files.source_file
    inner join delivery_records
        on pm_counters.source_record = delivery_records.source_record
    left join counter_name_map as vendor_map
        on vendor_map.vendor = cells.vendor
        and vendor_map.vendor_counter = pm_counters.counter_name
    left join counter_name_map as any_vendor_map
        on any_vendor_map.vendor = '*'
        and any_vendor_map.vendor_counter = pm_counters.counter_name
    where not coalesce(pm_counters.is_suspect, false)
        and pm_counters.counter_value is not null

),

pivoted as (

    -- one value per cell, period and canonical counter: the latest delivery's, by a grouped
    -- max_by per counter (not a row_number() window over every counter row: the window sorts
    -- all rows, and spilled gigabytes on the large profile)
    {%- set counters = {
        'RRC.ConnEstab.Att': 'rrc_conn_estab_att',
        'RRC.ConnEstab.Succ': 'rrc_conn_estab_succ',
        'DRB.RelAbnormal': 'drb_rel_abnormal',
        'DRB.RelNormal': 'drb_rel_normal',
        'DRB.UEThpDl': 'drb_ue_thp_dl_kbps',
        'DRB.UEThpUl': 'drb_ue_thp_ul_kbps',
        'RRU.PrbUsedDl': 'rru_prb_used_dl_pct',
        'CELL.UnavailTime': 'cell_unavail_time_s',
        'DRB.PdcpSduDelayDl': 'drb_pdcp_sdu_delay_dl_ms',
    } %}
    select
        cell_id,
        period_end_utc,
        max(granularity_s) as granularity_s
        {%- for counter, column in counters.items() %},
        max_by(
            case when canonical_counter = '{{ counter }}' then counter_value end,
            case when canonical_counter = '{{ counter }}' then delivery_order end
        ) as {{ column }}
        {%- endfor %}
    from mapped
    where canonical_counter is not null
    group by cell_id, period_end_utc

),

kpis as (

    select
        cell_id,
        {{ dbt.dateadd('second', '-granularity_s', 'period_end_utc') }} as period_start_utc,
        period_end_utc,
        cast({{ dbt.dateadd('second', -1, 'period_end_utc') }} as date) as period_date,
        {{ dbt.date_trunc('hour', dbt.dateadd('second', -1, 'period_end_utc')) }} as period_hour_utc,
        granularity_s,
        rrc_conn_estab_att,
        rrc_conn_estab_succ,
        drb_rel_abnormal,
        drb_rel_normal,
        cell_unavail_time_s,
        case
            when rrc_conn_estab_att > 0 then cast(100.0 as {{ type_double() }}) * rrc_conn_estab_succ / rrc_conn_estab_att
        end as accessibility_pct,
        case
            when drb_rel_abnormal + drb_rel_normal > 0
                then cast(100.0 as {{ type_double() }}) * (1 - drb_rel_abnormal / (drb_rel_abnormal + drb_rel_normal))
        end as retainability_pct,
        case
            when granularity_s > 0
                then cast(100.0 as {{ type_double() }}) * (1 - least(cell_unavail_time_s, granularity_s) / granularity_s)
        end as availability_pct,
        -- user throughput only means something when users were served in the period
        case when rrc_conn_estab_succ > 0 then drb_ue_thp_dl_kbps end as dl_user_throughput_kbps,
        case when rrc_conn_estab_succ > 0 then drb_ue_thp_ul_kbps end as ul_user_throughput_kbps,
        rru_prb_used_dl_pct as prb_utilisation_dl_pct,
        drb_pdcp_sdu_delay_dl_ms as latency_ms,
        -- degraded PM period, exactly as docs/kpi_definitions.md ("Incidents", rule 2)
        coalesce(cell_unavail_time_s >= 450, false) as is_unavailable,
        coalesce(
            rrc_conn_estab_att >= 100 and rrc_conn_estab_succ / rrc_conn_estab_att < 0.90, false
        ) as is_low_accessibility,
        coalesce(
            drb_rel_abnormal + drb_rel_normal >= 500
            and drb_rel_abnormal / (drb_rel_abnormal + drb_rel_normal) > 0.03,
            false
        ) as is_high_drop_rate
    from pivoted

),

final as (

    select
        cell_id,
        period_start_utc,
        period_end_utc,
        period_date,
        period_hour_utc,
        cast(granularity_s as {{ dbt.type_int() }}) as granularity_s,
        rrc_conn_estab_att,
        rrc_conn_estab_succ,
        drb_rel_abnormal,
        drb_rel_normal,
        cell_unavail_time_s,
        cast(accessibility_pct as {{ type_double() }}) as accessibility_pct,
        cast(retainability_pct as {{ type_double() }}) as retainability_pct,
        cast(availability_pct as {{ type_double() }}) as availability_pct,
        cast(dl_user_throughput_kbps as {{ type_double() }}) as dl_user_throughput_kbps,
        cast(ul_user_throughput_kbps as {{ type_double() }}) as ul_user_throughput_kbps,
        cast(prb_utilisation_dl_pct as {{ type_double() }}) as prb_utilisation_dl_pct,
        cast(latency_ms as {{ type_double() }}) as latency_ms,
        is_unavailable,
        is_low_accessibility,
        is_high_drop_rate,
        is_unavailable or is_low_accessibility or is_high_drop_rate as is_degraded,
        cast('{{ invocation_id }}' as {{ dbt.type_string() }}) as dbt_invocation_id
    from kpis

)

select * from final
