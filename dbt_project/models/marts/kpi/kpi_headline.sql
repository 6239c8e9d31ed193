{#- The headline KPIs over the whole reporting period, one row, exactly as docs/kpi_definitions.md
    defines them (the keys of truth.json["kpis"]; the nested `roi` is flattened into roi_*
    columns and `autonomy` is read from kpi_autonomy_monthly by orchestration/serving/kpis.py).
    Counts are the sums of the daily KPI marts' rows (kpi_order_performance, kpi_ticket_resolution,
    kpi_nps_daily: which order, ticket or response counts on which day is decided there once, and
    `itot kpis --from/--to` sums the same rows over a window); medians do not add up over days,
    so they come from the facts. Ratios and medians over an empty set are null; only final
    figures are rounded (4 decimals). -#}
with

reporting_period as (

    select * from {{ ref('int_calendar__reporting_period') }}

),

product_orders as (

    select * from {{ ref('fct_product_orders') }}

),

order_performance as (

    select * from {{ ref('kpi_order_performance') }}

),

trouble_tickets as (

    select * from {{ ref('fct_trouble_tickets') }}

),

ticket_resolution as (

    select * from {{ ref('kpi_ticket_resolution') }}

),

revenue_leakage as (

    select * from {{ ref('fct_revenue_leakage') }}

),

nps_daily as (

    select * from {{ ref('kpi_nps_daily') }}

),

customers as (

    select * from {{ ref('dim_customer') }}

),

roi_lever_daily as (

    select * from {{ ref('kpi_roi_lever_daily') }}

),

roi_costs as (

    select * from {{ ref('kpi_roi_costs_monthly') }}

),

roi_monthly as (

    select * from {{ ref('kpi_roi_monthly') }}

),

period_bounds as (

    select
        period_start_date,
        period_end_date,
        period_days,
        cast(period_start_date as timestamp) as t0,
        cast({{ dbt.dateadd('day', 1, 'period_end_date') }} as timestamp) as t1
    from reporting_period

),

order_totals as (

    -- the daily rows of every channel and product offering: kpi_order_performance holds only
    -- the reporting period's days
    select
        sum(orders_completed) as orders_completed,
        sum(orders_on_time) as orders_on_time,
        sum(orders_created) as orders_created,
        sum(orders_fallout) as orders_fallout
    from order_performance
    where time_grain = 'day' and channel = 'all' and product_offering_name = 'all'

),

order_medians as (

    select
        {{ percentile_cont('product_orders.cycle_time_hours', 0.5) }} as cycle_time_median_hours
    from product_orders
    cross join period_bounds
    where product_orders.is_completed
        and product_orders.completed_at >= period_bounds.t0
        and product_orders.completed_at < period_bounds.t1

),

ticket_totals as (

    select coalesce(sum(tickets_resolved), 0) as tickets_resolved
    from ticket_resolution
    where time_grain = 'day' and ticket_type = 'all'

),

ticket_medians as (

    select
        {{ percentile_cont('trouble_tickets.resolution_hours', 0.5) }} as mttr_median_hours
    from trouble_tickets
    cross join period_bounds
    where trouble_tickets.is_resolved
        and trouble_tickets.resolved_at >= period_bounds.t0
        and trouble_tickets.resolved_at < period_bounds.t1

),

leakage_totals as (

    select
        count(distinct product_id) as leakage_services,
        coalesce(sum(leakage_amount), 0.0) as leakage_amount
    from revenue_leakage

),

nps_totals as (

    select
        coalesce(sum(responses), 0) as responses,
        sum(promoters) as promoters,
        sum(detractors) as detractors
    from nps_daily
    where channel = 'all'

),

churn_totals as (

    select
        count(*) as customers_active_at_start,
        sum(
            case
                when customers.terminated_at >= period_bounds.t0
                    and customers.terminated_at < period_bounds.t1
                    then 1
                else 0
            end
        ) as customers_churned
    from customers
    cross join period_bounds
    where (customers.created_at is null or customers.created_at <= period_bounds.t0)
        and (customers.terminated_at is null or customers.terminated_at >= period_bounds.t0)

),

roi_totals as (

    select
        (select coalesce(sum(benefit), 0.0) from roi_lever_daily) as benefit,
        (select coalesce(sum(running_cost + one_off_cost), 0.0) from roi_costs) as cost,
        (select min(month_label) from roi_monthly where is_payback_month) as payback_month

),

final as (

    select
        cast(coalesce(order_totals.orders_completed, 0) as {{ dbt.type_bigint() }})
            as orders_completed,
        cast(
            round(cast(1.0 as {{ type_double() }}) * coalesce(order_totals.orders_completed, 0) / period_bounds.period_days, 4)
            as {{ type_double() }}
        ) as order_throughput_per_day,
        {{ pct_of('order_totals.orders_on_time', 'order_totals.orders_completed') }} as on_time_delivery_pct,
        {{ pct_of('order_totals.orders_fallout', 'order_totals.orders_created') }} as order_fallout_pct,
        cast(round(order_medians.cycle_time_median_hours, 4) as {{ type_double() }})
            as order_cycle_time_median_hours,
        cast(ticket_totals.tickets_resolved as {{ dbt.type_bigint() }}) as tickets_resolved,
        cast(round(ticket_medians.mttr_median_hours, 4) as {{ type_double() }})
            as mttr_median_hours,
        cast(leakage_totals.leakage_services as {{ dbt.type_bigint() }})
            as revenue_leakage_services,
        cast(round(leakage_totals.leakage_amount, 4) as {{ type_double() }})
            as revenue_leakage_amount,
        {{ pct_of('(nps_totals.promoters - nps_totals.detractors)', 'nps_totals.responses') }} as nps,
        {{ pct_of('churn_totals.customers_churned', 'churn_totals.customers_active_at_start') }} as churn_rate_pct,
        cast(round(roi_totals.benefit, 4) as {{ type_double() }}) as roi_benefit,
        cast(round(roi_totals.cost, 4) as {{ type_double() }}) as roi_cost,
        cast(
            case
                when roi_totals.cost <> 0
                    then round(cast(100.0 as {{ type_double() }}) * (roi_totals.benefit - roi_totals.cost) / roi_totals.cost, 4)
            end
            as {{ type_double() }}
        ) as roi_pct,
        cast(roi_totals.payback_month as {{ dbt.type_string() }}) as roi_payback_month
    from period_bounds
    cross join order_totals
    cross join order_medians
    cross join ticket_totals
    cross join ticket_medians
    cross join leakage_totals
    cross join nps_totals
    cross join churn_totals
    cross join roi_totals

)

select * from final
