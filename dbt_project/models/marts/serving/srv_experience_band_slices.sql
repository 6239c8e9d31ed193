{#- The experienced-quality bands' counts per global-filter slice (customer's region and segment,
    technology of the customer's home cell), summed from fct_customer_period_experience: the
    Service page adds up the slices the filters keep and derives the rates (as
    kpi_experience_by_quality_band does for all slices), so its band chart follows the region,
    technology and segment filters without reading a row per customer. A band is still the
    customer's worst over the whole reporting period. -#}
with

per_customer as (

    select * from {{ ref('fct_customer_period_experience') }}

),

customers as (

    select * from {{ ref('dim_customer') }}

),

cells as (

    select * from {{ ref('dim_cell') }}

)

select
    per_customer.quality_band,
    per_customer.band_order,
    customers.region,
    customers.segment,
    home_cells.technology,
    cast(count(*) as {{ dbt.type_bigint() }}) as customers,
    cast(sum(case when per_customer.complaints > 0 then 1 else 0 end) as {{ dbt.type_bigint() }})
        as customers_with_complaint,
    cast(sum(per_customer.survey_responses) as {{ dbt.type_bigint() }}) as survey_responses,
    cast(sum(per_customer.promoters) as {{ dbt.type_bigint() }}) as promoters,
    cast(sum(per_customer.detractors) as {{ dbt.type_bigint() }}) as detractors,
    cast(sum(case when per_customer.is_active_at_start then 1 else 0 end) as {{ dbt.type_bigint() }})
        as customers_active_at_start,
    cast(sum(case when per_customer.is_active_at_start and per_customer.is_terminated_in_period
        then 1 else 0 end) as {{ dbt.type_bigint() }}) as customers_churned
from per_customer
inner join customers
    on per_customer.customer_id = customers.customer_id
left join cells as home_cells
    on customers.home_cell_id = home_cells.cell_id
group by 1, 2, 3, 4, 5
