{#- Complaint rate, NPS and churn by experienced-quality band, over the reporting period.

    Each customer gets one band for the period: the worst band of their customer-days in the
    period with usage, `no_usage` without any (fct_customer_period_experience, one row per
    customer). Per band:
    - complaint rate = 100 * customers with at least one complaint ticket created in the period
      / customers in the band;
    - NPS as docs/kpi_definitions.md (`nps`), over the band's customers' responses in the period;
    - churn rate as docs/kpi_definitions.md (`churn_rate_pct`), over the band's customers active
      at the period start.
    srv_experience_band_slices holds the same counts per global-filter slice. -#}
with

per_customer as (

    select * from {{ ref('fct_customer_period_experience') }}

),

band_customers as (

    select
        quality_band,
        band_order,
        count(*) as customers,
        sum(complaints) as complaint_tickets,
        sum(case when complaints > 0 then 1 else 0 end) as customers_with_complaint,
        sum(survey_responses) as survey_responses,
        sum(promoters) as promoters,
        sum(detractors) as detractors,
        sum(case when is_active_at_start then 1 else 0 end) as customers_active_at_start,
        sum(case when is_active_at_start and is_terminated_in_period then 1 else 0 end) as customers_churned
    from per_customer
    group by quality_band, band_order

),

final as (

    select
        cast(quality_band as {{ dbt.type_string() }}) as quality_band,
        cast(band_order as {{ dbt.type_int() }}) as band_order,
        cast(customers as {{ dbt.type_bigint() }}) as customers,
        cast(complaint_tickets as {{ dbt.type_bigint() }}) as complaint_tickets,
        cast(customers_with_complaint as {{ dbt.type_bigint() }}) as customers_with_complaint,
        {{ pct_of('customers_with_complaint', 'customers') }} as complaint_rate_pct,
        cast(survey_responses as {{ dbt.type_bigint() }}) as survey_responses,
        {{ pct_of('(promoters - detractors)', 'survey_responses') }} as nps,
        cast(customers_active_at_start as {{ dbt.type_bigint() }}) as customers_active_at_start,
        cast(customers_churned as {{ dbt.type_bigint() }}) as customers_churned,
        {{ pct_of('customers_churned', 'customers_active_at_start') }} as churn_rate_pct
    from band_customers

)

select * from final
