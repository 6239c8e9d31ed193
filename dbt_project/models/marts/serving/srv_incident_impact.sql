{#- Incidents with the customers they affected and the revenue at risk attributed to each
    (DESIGN.md: revenue at risk = value of customers on degraded cells x churn uplift). The churn
    uplift and the customer value are the period's, from kpi_revenue_at_risk (one definition);
    per quality incident: revenue_at_risk = home customers affected x customer_value x
    max(uplift, 0) / 100. Incidents without a degraded PM period put no revenue at risk. -#}
with

incidents as (

    select * from {{ ref('fct_incidents') }}

),

risk as (

    select churn_uplift_pp, customer_value from {{ ref('kpi_revenue_at_risk') }}

),

final as (

    select
        incidents.incident_id,
        incidents.cell_id,
        incidents.site_id,
        incidents.region,
        incidents.technology,
        incidents.started_at,
        incidents.ended_at,
        incidents.start_date,
        incidents.is_in_period,
        incidents.is_quality_incident,
        incidents.duration_minutes,
        incidents.alarm_conditions,
        incidents.degraded_periods,
        incidents.mttd_minutes,
        incidents.tickets,
        incidents.customers_affected,
        incidents.home_customers_affected,
        risk.churn_uplift_pp,
        risk.customer_value,
        cast(
            case
                when incidents.is_quality_incident
                    then round(
                        coalesce(incidents.home_customers_affected, 0)
                        * risk.customer_value
                        * greatest(coalesce(risk.churn_uplift_pp, 0), 0) / cast(100.0 as {{ type_double() }}),
                        2
                    )
                else 0
            end
            as {{ type_double() }}
        ) as revenue_at_risk
    from incidents
    cross join risk

)

select * from final
