{#- One row per customer: their experience over the reporting period, the grain the
    experienced-quality bands are counted at (kpi_experience_by_quality_band operator-wide,
    srv_experience_band_slices per global-filter slice).

    - quality band: the worst band of the customer's days with usage in the period
      (fct_customer_experience_daily), `no_usage` (order 0) without any;
    - complaints: complaint tickets the customer created in the period;
    - survey responses with an NPS score 0-10 in the period, promoters (9-10) and detractors (0-6);
    - active at the period start and terminated in the period, as docs/kpi_definitions.md
      (`churn_rate_pct`). -#}
with

reporting_period as (

    select * from {{ ref('int_calendar__reporting_period') }}

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

complaints as (

    select customer_id, sum(complaints_created) as complaints
    from experience
    group by customer_id

),

responses as (

    select
        responses.customer_id,
        count(*) as survey_responses,
        sum(case when {{ nps_class('responses.nps_score') }} = 'promoter' then 1 else 0 end) as promoters,
        sum(case when {{ nps_class('responses.nps_score') }} = 'detractor' then 1 else 0 end) as detractors
    from {{ ref('stg_customer__survey_responses') }} as responses
    cross join reporting_period
    where responses.response_date between reporting_period.period_start_date and reporting_period.period_end_date
        and responses.nps_score between 0 and 10
    group by responses.customer_id

),

final as (

    select
        customers.customer_id,
        cast(coalesce(bands.quality_band, 'no_usage') as {{ dbt.type_string() }}) as quality_band,
        cast(coalesce(bands.band_order, 0) as {{ dbt.type_int() }}) as band_order,
        cast(coalesce(complaints.complaints, 0) as {{ dbt.type_bigint() }}) as complaints,
        cast(coalesce(responses.survey_responses, 0) as {{ dbt.type_bigint() }}) as survey_responses,
        cast(coalesce(responses.promoters, 0) as {{ dbt.type_bigint() }}) as promoters,
        cast(coalesce(responses.detractors, 0) as {{ dbt.type_bigint() }}) as detractors,
        coalesce(
            (customers.created_at is null
                or customers.created_at <= cast(reporting_period.period_start_date as {{ dbt.type_timestamp() }}))
            and (customers.terminated_at is null
                or customers.terminated_at >= cast(reporting_period.period_start_date as {{ dbt.type_timestamp() }})),
            false
        ) as is_active_at_start,
        coalesce(
            customers.terminated_at >= cast(reporting_period.period_start_date as {{ dbt.type_timestamp() }})
            and customers.terminated_at < {{ dbt.dateadd('day', 1, 'cast(reporting_period.period_end_date as ' ~ dbt.type_timestamp() ~ ')') }},
            false
        ) as is_terminated_in_period
    from customers
    cross join reporting_period
    left join customer_worst
        on customers.customer_id = customer_worst.customer_id
    left join bands
        on customer_worst.band_order = bands.band_order
    left join complaints
        on customers.customer_id = complaints.customer_id
    left join responses
        on customers.customer_id = responses.customer_id

)

select * from final
