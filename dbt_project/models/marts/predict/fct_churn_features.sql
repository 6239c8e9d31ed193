{#- Features of the churn-risk model, one row per customer and assessment day
    (fct_prediction_windows): customers active at the start of the assessment day, what was
    known about them before it (segment, plan, tenure, the network quality they experienced over
    the 28 days before, complaints, billing disputes and bill shocks over those days, days since
    their last bad-experience day), and the outcome: is_churned, the customer left within the window_days
    that follow the assessment. split is 'train' or 'score' as the assessment's. -#}
with

windows as (

    select * from {{ ref('fct_prediction_windows') }}

),

customers as (

    select customer_id, segment, plan, customer_since, terminated_at
    from {{ ref('stg_customer__customers') }}

),

experience as (

    select customer_id, date_day, experienced_impaired_share, complaints_created
    from {{ ref('fct_customer_experience_daily') }}

),

disputes as (

    select customer_id, cast(created_at as date) as date_day
    from {{ ref('stg_customer__trouble_tickets') }}
    where ticket_type = 'billing_dispute' and customer_id is not null

),

bill_shocks as (

    select customer_id, bill_date as date_day
    from {{ ref('int_business__bill_shocks') }}

),

assessed as (

    select
        customers.customer_id,
        windows.assessment_date,
        windows.window_end_date,
        windows.window_days,
        windows.history_days,
        windows.split,
        customers.segment,
        customers.plan,
        customers.customer_since,
        customers.terminated_at
    from customers
    cross join windows
    where customers.terminated_at is null
        or cast(customers.terminated_at as date) >= windows.assessment_date

),

lookback as (

    select
        assessed.customer_id,
        assessed.assessment_date,
        -- exact: a parallel sum of doubles differs in its last bits from one build to the next
        cast(
            sum({{ exact_sum_term('experience.experienced_impaired_share') }})
            as {{ type_double() }}
        ) as impaired_days_28d,
        sum(experience.complaints_created) as complaints_28d
    from assessed
    inner join experience
        on assessed.customer_id = experience.customer_id
        and experience.date_day < assessed.assessment_date
        and experience.date_day >= cast({{ dbt.dateadd('day', -28, 'assessed.assessment_date') }} as date)
    group by 1, 2

),

any_bad as (

    -- the last bad-experience day before the assessment, however long ago
    select
        assessed.customer_id,
        assessed.assessment_date,
        max(experience.date_day) as last_bad_day_ever
    from assessed
    inner join experience
        on assessed.customer_id = experience.customer_id
        and experience.date_day < assessed.assessment_date
        and (experience.experienced_impaired_share > 0 or experience.complaints_created > 0)
    group by 1, 2

),

billing_events as (

    select customer_id, date_day, 1 as is_dispute, 0 as is_bill_shock from disputes
    union all
    select customer_id, date_day, 0 as is_dispute, 1 as is_bill_shock from bill_shocks

),

billing_counts as (

    -- billing disputes and bill shocks over the 28 days before the assessment
    select
        assessed.customer_id,
        assessed.assessment_date,
        sum(billing_events.is_dispute) as disputes_28d,
        sum(billing_events.is_bill_shock) as bill_shocks_28d
    from assessed
    inner join billing_events
        on assessed.customer_id = billing_events.customer_id
        and billing_events.date_day < assessed.assessment_date
        and billing_events.date_day >= cast({{ dbt.dateadd('day', -28, 'assessed.assessment_date') }} as date)
    group by 1, 2

),

final as (

    select
        assessed.customer_id,
        assessed.assessment_date,
        assessed.window_end_date,
        assessed.split,
        assessed.history_days,
        coalesce(assessed.segment, 'unknown') as segment,
        coalesce(assessed.plan, 'unknown') as plan,
        cast({{ dbt.datediff('assessed.customer_since', 'assessed.assessment_date', 'day') }}
            as {{ dbt.type_int() }}) as tenure_days,
        cast(coalesce(lookback.impaired_days_28d, 0) as {{ type_double() }}) as impaired_days_28d,
        cast(coalesce(lookback.complaints_28d, 0) as {{ dbt.type_int() }}) as complaints_28d,
        cast(coalesce(billing_counts.disputes_28d, 0) as {{ dbt.type_int() }}) as disputes_28d,
        cast(coalesce(billing_counts.bill_shocks_28d, 0) as {{ dbt.type_int() }}) as bill_shocks_28d,
        cast({{ dbt.datediff('any_bad.last_bad_day_ever', 'assessed.assessment_date', 'day') }}
            as {{ dbt.type_int() }}) as days_since_bad_experience,
        coalesce(
            assessed.terminated_at is not null
            and cast(assessed.terminated_at as date) < assessed.window_end_date,
            false
        ) as is_churned
    from assessed
    left join lookback
        on assessed.customer_id = lookback.customer_id
        and assessed.assessment_date = lookback.assessment_date
    left join any_bad
        on assessed.customer_id = any_bad.customer_id
        and assessed.assessment_date = any_bad.assessment_date
    left join billing_counts
        on assessed.customer_id = billing_counts.customer_id
        and assessed.assessment_date = billing_counts.assessment_date

)

select * from final
