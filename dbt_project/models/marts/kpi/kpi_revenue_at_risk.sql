{#- Revenue at risk (DESIGN.md): value of the customers on degraded cells x the churn uplift that
    degraded cells cause, over the reporting period. One row.

    - Cohort and churn as docs/kpi_definitions.md (`churn_rate_pct`): customers active at the
      period start; churned = terminated in the period.
    - Exposed: the customer's home cell had a quality incident (an incident with at least one
      degraded PM period, docs/kpi_definitions.md "Churn uplift") in the period. Collapsed DL
      throughput alone raises no degraded PM period and does not expose a customer: counting it
      too (as an earlier version did) put 27 more demo customers on the exposed side and
      overstated the uplift by 38 % (13.38 pp against the planted 9.68 pp).
    - churn_uplift_pp = churn rate of exposed - churn rate of unexposed, percentage points.
    - customers_at_risk = exposed customers still active at the period end (not yet churned).
    - revenue_at_risk = customers_at_risk x customer_value (roi_assumptions seed) x
      max(churn_uplift_pp, 0) / 100: the expected value lost if the uplift holds for them. -#}
with

reporting_period as (

    select
        cast(period_start_date as {{ dbt.type_timestamp() }}) as t0,
        {{ dbt.dateadd('day', 1, 'cast(period_end_date as ' ~ dbt.type_timestamp() ~ ')') }} as t1
    from {{ ref('int_calendar__reporting_period') }}

),

customers as (

    select customer_id, home_cell_id, created_at, terminated_at from {{ ref('dim_customer') }}

),

quality_incident_cells as (

    select distinct incidents.cell_id
    from {{ ref('fct_incidents') }} as incidents
    where incidents.is_quality_incident and incidents.is_in_period

),

customer_value as (

    select cast(max(value) as {{ type_double() }}) as customer_value
    from {{ ref('roi_assumptions') }}
    where assumption = 'customer_value'

),

cohort as (

    select
        customers.customer_id,
        quality_incident_cells.cell_id is not null as is_exposed,
        customers.terminated_at is not null and customers.terminated_at < reporting_period.t1 as is_churned
    from customers
    cross join reporting_period
    left join quality_incident_cells
        on customers.home_cell_id = quality_incident_cells.cell_id
    where (customers.created_at is null or customers.created_at <= reporting_period.t0)
        and (customers.terminated_at is null or customers.terminated_at >= reporting_period.t0)

),

rates as (

    select
        count(*) as customers_active_at_start,
        coalesce(sum(case when is_exposed then 1 else 0 end), 0) as customers_exposed,
        coalesce(sum(case when is_exposed and is_churned then 1 else 0 end), 0) as churned_exposed,
        coalesce(sum(case when not is_exposed then 1 else 0 end), 0) as customers_unexposed,
        coalesce(sum(case when not is_exposed and is_churned then 1 else 0 end), 0) as churned_unexposed,
        coalesce(sum(case when is_exposed and not is_churned then 1 else 0 end), 0) as customers_at_risk
    from cohort

),

uplift as (

    select
        rates.*,
        case when customers_exposed > 0 then cast(100.0 as {{ type_double() }}) * churned_exposed / customers_exposed end
            as churn_rate_exposed_pct,
        case when customers_unexposed > 0 then cast(100.0 as {{ type_double() }}) * churned_unexposed / customers_unexposed end
            as churn_rate_unexposed_pct
    from rates

),

final as (

    select
        cast(uplift.customers_active_at_start as {{ dbt.type_bigint() }}) as customers_active_at_start,
        cast(uplift.customers_exposed as {{ dbt.type_bigint() }}) as customers_exposed,
        cast(uplift.churned_exposed as {{ dbt.type_bigint() }}) as churned_exposed,
        cast(uplift.customers_unexposed as {{ dbt.type_bigint() }}) as customers_unexposed,
        cast(uplift.churned_unexposed as {{ dbt.type_bigint() }}) as churned_unexposed,
        cast(round(uplift.churn_rate_exposed_pct, 4) as {{ type_double() }}) as churn_rate_exposed_pct,
        cast(round(uplift.churn_rate_unexposed_pct, 4) as {{ type_double() }}) as churn_rate_unexposed_pct,
        cast(round(uplift.churn_rate_exposed_pct - uplift.churn_rate_unexposed_pct, 4) as {{ type_double() }})
            as churn_uplift_pp,
        cast(uplift.customers_at_risk as {{ dbt.type_bigint() }}) as customers_at_risk,
        customer_value.customer_value,
        cast(round(
            uplift.customers_at_risk * customer_value.customer_value
            * greatest(coalesce(uplift.churn_rate_exposed_pct - uplift.churn_rate_unexposed_pct, 0), 0) / cast(100.0 as {{ type_double() }}),
            4
        ) as {{ type_double() }}) as revenue_at_risk
    from uplift
    cross join customer_value

)

select * from final
