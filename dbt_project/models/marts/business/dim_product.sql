{#- One row per product instance (TMF637 Product: a customer's subscription to an offering),
    as seen by any source: ordered (TMF622 order items), billed (TMF678 rates) or used (TMF635
    usage). The offering is the latest one ordered or billed for it. -#}
with

product_orders as (

    select * from {{ ref('stg_customer__product_orders') }}

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

sightings as (

    select
        product_id,
        customer_id,
        product_offering_name as offering_name,
        created_at as seen_at,
        'order' as seen_in
    from product_orders
    where product_id is not null and order_action <> 'delete'

    union all

    select
        billing_rates.product_id,
        customer_bills.customer_id,
        -- a usage charge's name (out-of-bundle usage) is no offering: recurring rates name it
        case when billing_rates.rate_type = 'recurring' then billing_rates.rate_name end
            as offering_name,
        billing_rates.rated_at as seen_at,
        'bill' as seen_in
    from billing_rates
    left join customer_bills
        on billing_rates.bill_id = customer_bills.bill_id
    where billing_rates.product_id is not null

    union all

    select
        product_id,
        customer_id,
        cast(null as {{ dbt.type_string() }}) as offering_name,
        usage_at as seen_at,
        'usage' as seen_in
    from usage_records
    where product_id is not null

),

summary as (

    select
        product_id,
        min(seen_at) as first_seen_at,
        max(seen_at) as last_seen_at,
        max(case when seen_in = 'order' then 1 else 0 end) = 1 as is_ordered,
        max(case when seen_in = 'bill' then 1 else 0 end) = 1 as is_billed,
        max(case when seen_in = 'usage' then 1 else 0 end) = 1 as has_usage
    from sightings
    group by product_id

),

latest_offering as (

    select product_id, offering_name
    from (
        select
            product_id,
            offering_name,
            row_number() over (
                partition by product_id order by seen_at desc nulls last, seen_in
            ) as recency_rank
        from sightings
        where offering_name is not null
    ) as ranked
    where recency_rank = 1

),

latest_customer as (

    select product_id, customer_id
    from (
        select
            product_id,
            customer_id,
            row_number() over (
                partition by product_id order by seen_at desc nulls last, seen_in
            ) as recency_rank
        from sightings
        where customer_id is not null
    ) as ranked
    where recency_rank = 1

),

final as (

    select
        summary.product_id,
        latest_customer.customer_id,
        latest_offering.offering_name,
        summary.first_seen_at,
        summary.last_seen_at,
        summary.is_ordered,
        summary.is_billed,
        summary.has_usage
    from summary
    left join latest_offering
        on summary.product_id = latest_offering.product_id
    left join latest_customer
        on summary.product_id = latest_customer.product_id

)

select * from final
