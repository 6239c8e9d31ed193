{#- Complaint rate, NPS and churn by experienced-quality band, over the reporting period.

    Each customer gets one band for the period: the worst band of their customer-days in the
    period with usage (fct_customer_experience_daily), `no_usage` without any. Per band:
    - complaint rate = 100 * customers with at least one complaint ticket created in the period
      / customers in the band;
    - NPS as docs/kpi_definitions.md (`nps`), over the band's customers' responses in the period;
    - churn rate as docs/kpi_definitions.md (`churn_rate_pct`), over the band's customers active
      at the period start. -#}
with

reporting_period as (

    select * from {{ ref('int_reporting_period') }}

),

customers as (

    select * from {{ ref('dim_customer') }}

),

experience as (

    select experience.*
    from {{ ref('fct_customer_experience_daily') }} as experience
    cross join reporting_period
    where experience.date_day between reporting_period.period_start_date and reporting_period.period_end_date

),

bands as (

    select * from {{ ref('experience_quality_bands') }}

),

customer_worst as (

    select customer_id, max(quality_band_order) as band_order
    from experience
    where quality_band_order is not null
    group by customer_id

),

customer_band as (

    select
        customers.customer_id,
        customers.created_at,
        customers.terminated_at,
        coalesce(bands.quality_band, 'no_usage') as quality_band,
        coalesce(bands.band_order, 0) as band_order
    from customers
    left join customer_worst
        on customers.customer_id = customer_worst.customer_id
    left join bands
        on customer_worst.band_order = bands.band_order

),

complaints as (

    select customer_id, sum(complaints_created) as complaints
    from experience
    group by customer_id

),

responses as (

    select responses.customer_id, responses.nps_score
    from {{ ref('stg_customer__survey_responses') }} as responses
    cross join reporting_period
    where responses.response_date between reporting_period.period_start_date and reporting_period.period_end_date
        and responses.nps_score between 0 and 10

),

per_customer as (

    select
        customer_band.*,
        coalesce(complaints.complaints, 0) as complaints,
        (customer_band.created_at is null
            or customer_band.created_at <= cast(reporting_period.period_start_date as {{ dbt.type_timestamp() }}))
        and (customer_band.terminated_at is null
            or customer_band.terminated_at >= cast(reporting_period.period_start_date as {{ dbt.type_timestamp() }}))
            as is_active_at_start,
        customer_band.terminated_at >= cast(reporting_period.period_start_date as {{ dbt.type_timestamp() }})
        and customer_band.terminated_at < {{ dbt.dateadd('day', 1, 'cast(reporting_period.period_end_date as ' ~ dbt.type_timestamp() ~ ')') }}
            as is_terminated_in_period
    from customer_band
    cross join reporting_period
    left join complaints
        on customer_band.customer_id = complaints.customer_id

),

band_customers as (

    select
        quality_band,
        band_order,
        count(*) as customers,
        sum(complaints) as complaint_tickets,
        sum(case when complaints > 0 then 1 else 0 end) as customers_with_complaint,
        sum(case when is_active_at_start then 1 else 0 end) as customers_active_at_start,
        sum(case when is_active_at_start and is_terminated_in_period then 1 else 0 end) as customers_churned
    from per_customer
    group by quality_band, band_order

),

band_responses as (

    select
        per_customer.quality_band,
        count(*) as survey_responses,
        sum(case when responses.nps_score >= 9 then 1 else 0 end) as promoters,
        sum(case when responses.nps_score <= 6 then 1 else 0 end) as detractors
    from responses
    inner join per_customer
        on responses.customer_id = per_customer.customer_id
    group by per_customer.quality_band

),

final as (

    select
        cast(band_customers.quality_band as {{ dbt.type_string() }}) as quality_band,
        cast(band_customers.band_order as {{ dbt.type_int() }}) as band_order,
        cast(band_customers.customers as {{ dbt.type_bigint() }}) as customers,
        cast(band_customers.complaint_tickets as {{ dbt.type_bigint() }}) as complaint_tickets,
        cast(band_customers.customers_with_complaint as {{ dbt.type_bigint() }}) as customers_with_complaint,
        cast(round(100.0 * band_customers.customers_with_complaint / band_customers.customers, 4)
            as {{ type_double() }}) as complaint_rate_pct,
        cast(coalesce(band_responses.survey_responses, 0) as {{ dbt.type_bigint() }}) as survey_responses,
        cast(case
            when band_responses.survey_responses > 0
                then round(100.0 * (band_responses.promoters - band_responses.detractors) / band_responses.survey_responses, 4)
        end as {{ type_double() }}) as nps,
        cast(band_customers.customers_active_at_start as {{ dbt.type_bigint() }}) as customers_active_at_start,
        cast(band_customers.customers_churned as {{ dbt.type_bigint() }}) as customers_churned,
        cast(case
            when band_customers.customers_active_at_start > 0
                then round(100.0 * band_customers.customers_churned / band_customers.customers_active_at_start, 4)
        end as {{ type_double() }}) as churn_rate_pct
    from band_customers
    left join band_responses
        on band_customers.quality_band = band_responses.quality_band

)

select * from final
