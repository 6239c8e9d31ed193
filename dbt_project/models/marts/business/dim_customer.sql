with

customers as (

    select * from {{ ref('stg_customer__customers') }}

),

final as (

    select
        customer_id,
        customer_name_pseudonym,
        email_pseudonym,
        msisdn_pseudonym,
        street_address_pseudonym,
        segment,
        region,
        plan,
        home_cell_id,
        account_id,
        status,
        created_at,
        terminated_at,
        terminated_at is not null as is_churned
    from customers

)

select * from final
