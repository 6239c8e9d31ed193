{#- Bill shocks (docs/predictions.md, churn features): one row per customer bill whose amount
    due is at least `bill_shock_ratio` (dbt var, default 1.5) times the customer's usual bill,
    the amount due most often billed to customers of the same plan (ties: the smaller amount).
    The usual bill is a tariff fact (what the plan costs a month), so a bill is judged without
    looking at the customer's own later bills. -#}
with

customer_bills as (

    select * from {{ ref('stg_customer__customer_bills') }}

),

customers as (

    select customer_id, plan from {{ ref('stg_customer__customers') }}

),

bills as (

    select
        customer_bills.bill_id,
        customer_bills.customer_id,
        customer_bills.bill_date,
        customer_bills.amount_due,
        customers.plan
    from customer_bills
    inner join customers
        on customer_bills.customer_id = customers.customer_id
    where customer_bills.amount_due is not null and customers.plan is not null

),

plan_amount_counts as (

    select plan, amount_due, count(*) as times_billed
    from bills
    group by 1, 2

),

usual_bill as (

    select plan, amount_due as usual_amount_due
    from (
        select
            plan,
            amount_due,
            row_number() over (partition by plan order by times_billed desc, amount_due)
                as frequency_rank
        from plan_amount_counts
    ) as ranked
    where frequency_rank = 1

),

final as (

    select
        bills.bill_id,
        bills.customer_id,
        bills.bill_date,
        cast(bills.amount_due as {{ type_double() }}) as amount_due,
        cast(usual_bill.usual_amount_due as {{ type_double() }}) as usual_amount_due,
        cast(bills.amount_due / usual_bill.usual_amount_due as {{ type_double() }})
            as ratio_to_usual
    from bills
    inner join usual_bill
        on bills.plan = usual_bill.plan
    where usual_bill.usual_amount_due > 0
        and bills.amount_due >= {{ var('bill_shock_ratio', 1.5) }} * usual_bill.usual_amount_due

)

select * from final
