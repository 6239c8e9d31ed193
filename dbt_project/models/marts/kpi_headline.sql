{#- The headline KPIs, exactly the keys of docs/data_contracts.md and truth.json["kpis"]:
    orders_completed          completed orders with completionDate in the period
    order_throughput_per_day  orders_completed / days in the period, round(x, 4)
    on_time_delivery_pct      100 * completed on time / orders_completed, round(x, 4);
                              0.0 when nothing completed (as the simulator's truth.json) -#}
with

reporting_period as (

    select * from {{ ref('int_reporting_period') }}

),

product_orders as (

    select * from {{ ref('fct_product_orders') }}

),

completed_in_period as (

    select product_orders.*
    from product_orders
    cross join reporting_period
    where product_orders.is_completed
        and product_orders.completed_date >= reporting_period.period_start_date
        and product_orders.completed_date <= reporting_period.period_end_date

),

completed_totals as (

    select
        count(*) as orders_completed,
        sum(case when is_on_time then 1 else 0 end) as orders_on_time
    from completed_in_period

),

final as (

    select
        cast(completed_totals.orders_completed as {{ dbt.type_bigint() }}) as orders_completed,
        cast(
            round(1.0 * completed_totals.orders_completed / reporting_period.period_days, 4)
            as {{ type_double() }}
        ) as order_throughput_per_day,
        cast(
            case
                when completed_totals.orders_completed > 0
                    then round(
                        100.0 * completed_totals.orders_on_time / completed_totals.orders_completed,
                        4
                    )
                else 0.0
            end
            as {{ type_double() }}
        ) as on_time_delivery_pct
    from completed_totals
    cross join reporting_period

)

select * from final
