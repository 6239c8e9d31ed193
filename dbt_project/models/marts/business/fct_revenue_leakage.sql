{#- Revenue leakage per service and billing month (docs/kpi_definitions.md, Revenue leakage).

    A billing month is a UTC month with at least one billing rate dated in the period (a bill run
    happened); only billing months are examined.
    - active_but_unbilled: the product has usage in the period and in month M, and no billing
      rate dated in M. Amount: the expected monthly charge, the tax-excluded amount most often
      billed in M to rates of the customer's plan (ties: the smaller amount; none: 0).
    - billed_but_inactive: a rate dated in M whose product's customer was terminated at or before
      00:00 UTC of M's first day. Amount: the rate's amount.
    Plans and rate names are compared after the same enum normalisation. -#}
with

reporting_period as (

    select * from {{ ref('int_calendar__reporting_period') }}

),

billing_rates as (

    select * from {{ ref('stg_customer__billing_rates') }}

),

customer_bills as (

    select * from {{ ref('stg_customer__customer_bills') }}

),

usage_records as (

    select * from {{ ref('stg_customer__usage_records') }}

),

customers as (

    select * from {{ ref('stg_customer__customers') }}

),

rates_in_period as (

    select
        billing_rates.*,
        cast({{ dbt.date_trunc('month', 'billing_rates.rated_at') }} as date) as billing_month,
        {{ normalise_enum('billing_rates.rate_name') }} as rate_plan,
        customer_bills.customer_id as bill_customer_id
    from billing_rates
    cross join reporting_period
    left join customer_bills
        on billing_rates.bill_id = customer_bills.bill_id
    where cast(billing_rates.rated_at as date) >= reporting_period.period_start_date
        and cast(billing_rates.rated_at as date) <= reporting_period.period_end_date

),

billing_months as (

    -- the day of the month's bill run (its latest rate) dates the month's leakage
    select billing_month, max(cast(rated_at as date)) as bill_run_date
    from rates_in_period
    group by 1

),

usage_months as (

    select
        usage_records.product_id,
        cast({{ dbt.date_trunc('month', 'usage_records.usage_at') }} as date) as billing_month,
        min(usage_records.customer_id) as customer_id
    from usage_records
    cross join reporting_period
    where usage_records.product_id is not null
        and cast(usage_records.usage_at as date) >= reporting_period.period_start_date
        and cast(usage_records.usage_at as date) <= reporting_period.period_end_date
    group by 1, 2

),

plan_amount_counts as (

    select billing_month, rate_plan, tax_excluded_amount, count(*) as times_billed
    from rates_in_period
    where tax_excluded_amount is not null
    group by 1, 2, 3

),

expected_charge as (

    -- the amount most often billed to a plan in the month; ties: the smaller amount
    select billing_month, rate_plan, tax_excluded_amount
    from (
        select
            billing_month,
            rate_plan,
            tax_excluded_amount,
            row_number() over (
                partition by billing_month, rate_plan order by times_billed desc, tax_excluded_amount
            ) as frequency_rank
        from plan_amount_counts
    ) as ranked
    where frequency_rank = 1

),

unbilled as (

    select
        usage_months.product_id,
        usage_months.billing_month,
        'active_but_unbilled' as leakage_type,
        billing_months.bill_run_date,
        usage_months.customer_id,
        coalesce(expected_charge.tax_excluded_amount, 0.0) as leakage_amount
    from usage_months
    inner join billing_months
        on usage_months.billing_month = billing_months.billing_month
    left join customers
        on usage_months.customer_id = customers.customer_id
    left join expected_charge
        on usage_months.billing_month = expected_charge.billing_month
        and customers.plan = expected_charge.rate_plan
    where not exists (
        select 1
        from rates_in_period
        where rates_in_period.product_id = usage_months.product_id
            and rates_in_period.billing_month = usage_months.billing_month
    )

),

product_customers as (

    select product_id, min(customer_id) as customer_id
    from usage_records
    where product_id is not null and customer_id is not null
    group by 1

),

billed_inactive as (

    select
        rates_in_period.product_id,
        rates_in_period.billing_month,
        'billed_but_inactive' as leakage_type,
        billing_months.bill_run_date,
        coalesce(rates_in_period.bill_customer_id, product_customers.customer_id) as customer_id,
        coalesce(rates_in_period.tax_excluded_amount, 0.0) as leakage_amount
    from rates_in_period
    inner join billing_months
        on rates_in_period.billing_month = billing_months.billing_month
    left join product_customers
        on rates_in_period.product_id = product_customers.product_id
    inner join customers
        on coalesce(rates_in_period.bill_customer_id, product_customers.customer_id)
            = customers.customer_id
    where customers.terminated_at <= cast(rates_in_period.billing_month as timestamp)

),

unioned as (

    select * from unbilled
    union all
    select * from billed_inactive

),

final as (

    select
        cast(product_id as {{ dbt.type_string() }}) as product_id,
        cast(billing_month as date) as billing_month,
        cast({{ year_month_label('billing_month') }} as {{ dbt.type_string() }}) as month_label,
        cast(leakage_type as {{ dbt.type_string() }}) as leakage_type,
        cast(bill_run_date as date) as bill_run_date,
        cast(customer_id as {{ dbt.type_string() }}) as customer_id,
        cast(sum(leakage_amount) as {{ type_double() }}) as leakage_amount
    from unioned
    group by 1, 2, 3, 4, 5, 6

)

select * from final
