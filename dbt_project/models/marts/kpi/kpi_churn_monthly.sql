{#- Churn per calendar month of the reporting period: customers active at the month's start (or
    the period's start, for a month the period begins inside), the churned among them
    (terminated in the month, within the period) and churn rate % = 100 * churned / active at
    start. Customers acquired during the month are outside that month's cohort. -#}
with

customers as (

    select * from {{ ref('dim_customer') }}

),

dates as (

    select * from {{ ref('dim_date') }}

),

months as (

    select
        month_start_date,
        cast(min(date_day) as timestamp) as window_start_at,
        cast({{ dbt.dateadd('day', 1, 'max(date_day)') }} as timestamp) as window_end_at
    from dates
    group by 1

),

cohorts as (

    select
        months.month_start_date,
        count(*) as customers_active_at_start,
        sum(
            case
                when customers.terminated_at >= months.window_start_at
                    and customers.terminated_at < months.window_end_at
                    then 1
                else 0
            end
        ) as customers_churned
    from months
    inner join customers
        on (customers.created_at is null or customers.created_at <= months.window_start_at)
        and (customers.terminated_at is null or customers.terminated_at >= months.window_start_at)
    group by 1

),

final as (

    select
        cast(months.month_start_date as date) as month_start_date,
        cast({{ year_month_label('months.month_start_date') }} as {{ dbt.type_string() }})
            as month_label,
        cast(coalesce(cohorts.customers_active_at_start, 0) as {{ dbt.type_bigint() }})
            as customers_active_at_start,
        cast(coalesce(cohorts.customers_churned, 0) as {{ dbt.type_bigint() }})
            as customers_churned,
        {{ pct_of('cohorts.customers_churned', 'cohorts.customers_active_at_start') }} as churn_rate_pct
    from months
    left join cohorts
        on months.month_start_date = cohorts.month_start_date

)

select * from final
