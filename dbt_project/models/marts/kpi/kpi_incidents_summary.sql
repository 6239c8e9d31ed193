{#- One row: the incident KPIs over the reporting period. `incidents_detected` is the headline
    key of the KPI contract (docs/kpi_definitions.md: incidents whose start is in the period);
    kpi_headline reads it from here. Windows (itot kpis --from/--to) count fct_incidents rows by
    started_at instead. -#}
with

incidents as (

    select * from {{ ref('fct_incidents') }}
    where is_in_period

),

final as (

    select
        cast(count(*) as {{ dbt.type_bigint() }}) as incidents_detected,
        cast(coalesce(sum(case when is_quality_incident then 1 else 0 end), 0) as {{ dbt.type_bigint() }})
            as quality_incidents,
        cast(coalesce(sum(case when is_open then 1 else 0 end), 0) as {{ dbt.type_bigint() }}) as incidents_open,
        cast(round(median(mttd_minutes), 4) as {{ type_double() }}) as mttd_median_minutes,
        cast(round(avg(mttd_minutes), 4) as {{ type_double() }}) as mttd_mean_minutes,
        cast(round(median(duration_minutes), 4) as {{ type_double() }}) as duration_median_minutes,
        cast(coalesce(sum(customers_affected), 0) as {{ dbt.type_bigint() }}) as customer_incidents_affected
    from incidents

)

select * from final
