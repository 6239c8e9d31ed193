{#- Customer experience per UTC day and global-filter slice (customer's region and segment,
    technology of the customer's home cell): the Service page's experience trend sums these few
    rows instead of joining every customer-day of fct_customer_experience_daily to the
    customer and cell dimensions (≈1.7M customer-days on the large profile). The volume sums are
    rounded to 4 decimals: a parallel float sum's last bits depend on the order of its rows, and
    a rebuild of the same data must give the same table. -#}
with

experience as (

    select * from {{ ref('fct_customer_experience_daily') }}

),

customers as (

    select * from {{ ref('dim_customer') }}

),

cells as (

    select * from {{ ref('dim_cell') }}

)

select
    experience.date_day,
    customers.region,
    customers.segment,
    home_cells.technology,
    cast(
        round(sum(experience.experienced_impaired_share * experience.volume_mb), 4)
        as {{ type_double() }}
    ) as impaired_volume_mb,
    cast(round(sum(experience.volume_mb), 4) as {{ type_double() }}) as volume_mb,
    cast(sum(experience.complaints_created) as {{ dbt.type_bigint() }}) as complaints,
    cast(sum(experience.survey_responses) as {{ dbt.type_bigint() }}) as survey_responses,
    cast(sum(case when experience.is_churn_day then 1 else 0 end) as {{ dbt.type_bigint() }})
        as churned
from experience
inner join customers
    on experience.customer_id = customers.customer_id
left join cells as home_cells
    on customers.home_cell_id = home_cells.cell_id
group by 1, 2, 3, 4
