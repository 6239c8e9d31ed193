{#- Order KPIs by time grain (day, ISO week starting Monday), channel and product offering, with
    every roll-up ('all') computed from the orders themselves so medians and percentiles stay
    exact at each level. Orders created (and fallout) are dated by creation; completions, on-time
    delivery and cycle time by completion. -#}
with

product_orders as (

    select * from {{ ref('fct_product_orders') }}

),

dates as (

    select * from {{ ref('dim_date') }}

),

order_dates as (

    -- each order counted on its creation day and, when completed, on its completion day
    select
        order_id, channel, product_offering_name, created_date as date_day,
        1 as is_created_row, is_fallout,
        false as is_completed, cast(null as boolean) as is_on_time,
        cast(null as {{ type_double() }}) as cycle_time_hours
    from product_orders
    union all
    select
        order_id, channel, product_offering_name, completed_date as date_day,
        0 as is_created_row, false as is_fallout,
        true as is_completed, is_on_time, cycle_time_hours
    from product_orders
    where is_completed

),

with_grain as (

    select
        'day' as time_grain,
        dates.date_day as period_start_date,
        order_dates.*
    from order_dates
    inner join dates on order_dates.date_day = dates.date_day
    union all
    select
        'week' as time_grain,
        dates.week_start_date as period_start_date,
        order_dates.*
    from order_dates
    inner join dates on order_dates.date_day = dates.date_day

),

aggregated as (

    select
        time_grain,
        period_start_date,
        channel,
        product_offering_name,
        grouping(channel) as is_all_channels,
        grouping(product_offering_name) as is_all_products,
        sum(is_created_row) as orders_created,
        sum(case when is_fallout then 1 else 0 end) as orders_fallout,
        sum(case when is_completed then 1 else 0 end) as orders_completed,
        sum(case when is_on_time then 1 else 0 end) as orders_on_time,
        {{ percentile_cont('cycle_time_hours', 0.5) }} as cycle_time_median_hours,
        {{ percentile_cont('cycle_time_hours', 0.9) }} as cycle_time_p90_hours
    from with_grain
    group by grouping sets (
        (time_grain, period_start_date, channel, product_offering_name),
        (time_grain, period_start_date, channel),
        (time_grain, period_start_date, product_offering_name),
        (time_grain, period_start_date)
    )

),

final as (

    select
        cast(time_grain as {{ dbt.type_string() }}) as time_grain,
        cast(period_start_date as date) as period_start_date,
        cast(
            case when is_all_channels = 1 then 'all' else coalesce(channel, 'unknown') end as {{ dbt.type_string() }}
        ) as channel,
        cast(
            case
                when is_all_products = 1 then 'all' else coalesce(product_offering_name, 'unknown')
            end
            as {{ dbt.type_string() }}
        ) as product_offering_name,
        cast(orders_created as {{ dbt.type_bigint() }}) as orders_created,
        cast(orders_fallout as {{ dbt.type_bigint() }}) as orders_fallout,
        {{ pct_of('orders_fallout', 'orders_created') }} as fallout_pct,
        cast(orders_completed as {{ dbt.type_bigint() }}) as orders_completed,
        cast(orders_on_time as {{ dbt.type_bigint() }}) as orders_on_time,
        {{ pct_of('orders_on_time', 'orders_completed') }} as on_time_pct,
        cast(round(cycle_time_median_hours, 4) as {{ type_double() }}) as cycle_time_median_hours,
        cast(round(cycle_time_p90_hours, 4) as {{ type_double() }}) as cycle_time_p90_hours
    from aggregated

)

select * from final
