{#- One row per TMF678 customer bill with its billed product (the recurring rate on the bill)
    and the calendar month it covers. -#}
with

customer_bills as (

    select * from {{ ref('stg_customer__customer_bills') }}

),

billing_rates as (

    select * from {{ ref('stg_customer__billing_rates') }}

),

bill_products as (

    select
        bill_id,
        count(distinct product_id) as billed_product_count,
        min(product_id) as product_id,
        sum(tax_excluded_amount) as rated_amount
    from billing_rates
    group by bill_id

),

final as (

    select
        customer_bills.bill_id,
        customer_bills.bill_no,
        customer_bills.customer_id,
        customer_bills.billing_account_id,
        customer_bills.state,
        customer_bills.bill_date,
        customer_bills.billing_period_start_at,
        customer_bills.billing_period_end_at,
        cast({{ dbt.date_trunc('month', 'customer_bills.billing_period_start_at') }} as date)
            as billing_month,
        customer_bills.amount_due,
        customer_bills.tax_included_amount,
        customer_bills.tax_excluded_amount,
        customer_bills.currency,
        bill_products.product_id,
        coalesce(bill_products.billed_product_count, 0) as billed_product_count,
        bill_products.rated_amount
    from customer_bills
    left join bill_products
        on customer_bills.bill_id = bill_products.bill_id

)

select * from final
