with

dates as (

    select * from {{ ref('dim_date') }}

),

product_orders as (

    select * from {{ ref('fct_product_orders') }}

),

channels as (

    select distinct channel from product_orders

),

created as (

    select
        created_date as date_day,
        channel,
        count(*) as orders_created
    from product_orders
    group by 1, 2

),

completed as (

    select
        completed_date as date_day,
        channel,
        count(*) as orders_completed,
        sum(case when is_on_time then 1 else 0 end) as orders_on_time
    from product_orders
    where is_completed
    group by 1, 2

),

day_channel as (

    select
        dates.date_day,
        channels.channel
    from dates
    cross join channels

),

final as (

    select
        day_channel.date_day,
        cast(day_channel.channel as {{ dbt.type_string() }}) as channel,
        cast(coalesce(created.orders_created, 0) as {{ dbt.type_bigint() }}) as orders_created,
        cast(coalesce(completed.orders_completed, 0) as {{ dbt.type_bigint() }}) as orders_completed,
        cast(coalesce(completed.orders_on_time, 0) as {{ dbt.type_bigint() }}) as orders_on_time,
        {{ pct_of('completed.orders_on_time', 'completed.orders_completed') }} as on_time_pct
    from day_channel
    left join created
        on day_channel.date_day = created.date_day
        and {{ dbt.equals('day_channel.channel', 'created.channel') }}
    left join completed
        on day_channel.date_day = completed.date_day
        and {{ dbt.equals('day_channel.channel', 'completed.channel') }}

)

select * from final
