{#- Service quality -> experience, per customer and UTC day (DESIGN.md, KPI semantics): the
    quality of the cells that served the customer that day, weighted by the share of the day's
    usage each carried (rounded to 6 decimals, so a weighted 100 % stays 100 %), next to the customer's tickets, survey scores and churn.

    A row exists for every customer-day with usage, a ticket, a survey response or the churn
    itself; quality columns are null (band `no_usage`) on days without usage. The band comes from
    the experience_quality_bands seed. -#}
with

serving_cells as (

    select * from {{ ref('int_network__customer_serving_cells_daily') }}

),

cell_quality as (

    select * from {{ ref('fct_cell_quality_daily') }}

),

bands as (

    select * from {{ ref('experience_quality_bands') }}

),

tickets as (

    select
        customer_id,
        cast(created_at as date) as date_day,
        count(*) as tickets_created,
        sum(case when ticket_type = 'complaint' then 1 else 0 end) as complaints_created
    from {{ ref('stg_customer__trouble_tickets') }}
    where customer_id is not null and created_at is not null
    group by 1, 2

),

surveys as (

    select
        customer_id,
        response_date as date_day,
        count(*) as survey_responses,
        avg(nps_score) as nps_score,
        avg(csat_score) as csat_score
    from {{ ref('stg_customer__survey_responses') }}
    where customer_id is not null and response_date is not null
    group by 1, 2

),

customers as (

    select customer_id, home_cell_id, terminated_at from {{ ref('stg_customer__customers') }}

),

churns as (

    select customer_id, cast(terminated_at as date) as date_day
    from customers
    where terminated_at is not null

),

experienced as (

    -- usage-weighted quality: each KPI over the cells that report it, weights renormalised
    select
        serving_cells.customer_id,
        serving_cells.usage_date as date_day,
        count(*) as serving_cells,
        sum(serving_cells.volume_mb) as volume_mb,
        sum(serving_cells.usage_share * cell_quality.impaired_time_share)
            / nullif(sum(case when cell_quality.impaired_time_share is not null then serving_cells.usage_share end), 0)
            as experienced_impaired_share,
        sum(serving_cells.usage_share * cell_quality.accessibility_pct)
            / nullif(sum(case when cell_quality.accessibility_pct is not null then serving_cells.usage_share end), 0)
            as experienced_accessibility_pct,
        sum(serving_cells.usage_share * cell_quality.retainability_pct)
            / nullif(sum(case when cell_quality.retainability_pct is not null then serving_cells.usage_share end), 0)
            as experienced_retainability_pct,
        sum(serving_cells.usage_share * cell_quality.availability_pct)
            / nullif(sum(case when cell_quality.availability_pct is not null then serving_cells.usage_share end), 0)
            as experienced_availability_pct,
        sum(serving_cells.usage_share * cell_quality.dl_user_throughput_kbps)
            / nullif(sum(case when cell_quality.dl_user_throughput_kbps is not null then serving_cells.usage_share end), 0)
            as experienced_dl_throughput_kbps
    from serving_cells
    left join cell_quality
        on serving_cells.cell_id = cell_quality.cell_id
        and serving_cells.usage_date = cell_quality.date_day
    group by 1, 2

),

banded as (

    select customer_id, date_day, quality_band, band_order
    from (
        select
            experienced.customer_id,
            experienced.date_day,
            bands.quality_band,
            bands.band_order,
            row_number() over (
                partition by experienced.customer_id, experienced.date_day
                order by bands.band_order
            ) as band_rank
        from experienced
        inner join bands
            on experienced.experienced_impaired_share <= bands.max_impaired_share
    ) as ranked
    where band_rank = 1

),

customer_days as (

    select customer_id, date_day from experienced
    union
    select customer_id, date_day from tickets
    union
    select customer_id, date_day from surveys
    union
    select customer_id, date_day from churns

),

final as (

    select
        customer_days.customer_id,
        customer_days.date_day,
        customers.home_cell_id,
        cast(coalesce(experienced.serving_cells, 0) as {{ dbt.type_int() }}) as serving_cells,
        cast(experienced.volume_mb as {{ type_double() }}) as volume_mb,
        cast(round(experienced.experienced_impaired_share, 6) as {{ type_double() }}) as experienced_impaired_share,
        cast(round(experienced.experienced_accessibility_pct, 6) as {{ type_double() }}) as experienced_accessibility_pct,
        cast(round(experienced.experienced_retainability_pct, 6) as {{ type_double() }}) as experienced_retainability_pct,
        cast(round(experienced.experienced_availability_pct, 6) as {{ type_double() }}) as experienced_availability_pct,
        cast(round(experienced.experienced_dl_throughput_kbps, 6) as {{ type_double() }}) as experienced_dl_throughput_kbps,
        cast(coalesce(banded.quality_band, 'no_usage') as {{ dbt.type_string() }}) as quality_band,
        cast(banded.band_order as {{ dbt.type_int() }}) as quality_band_order,
        cast(coalesce(tickets.tickets_created, 0) as {{ dbt.type_int() }}) as tickets_created,
        cast(coalesce(tickets.complaints_created, 0) as {{ dbt.type_int() }}) as complaints_created,
        cast(coalesce(surveys.survey_responses, 0) as {{ dbt.type_int() }}) as survey_responses,
        cast(surveys.nps_score as {{ type_double() }}) as nps_score,
        cast(surveys.csat_score as {{ type_double() }}) as csat_score,
        customers.terminated_at,
        coalesce(cast(customers.terminated_at as date) = customer_days.date_day, false) as is_churn_day,
        cast(case
            when customers.terminated_at is not null
                then {{ dbt.datediff('customer_days.date_day', 'cast(customers.terminated_at as date)', 'day') }}
        end as {{ dbt.type_int() }}) as days_to_churn
    from customer_days
    left join experienced
        on customer_days.customer_id = experienced.customer_id
        and customer_days.date_day = experienced.date_day
    left join banded
        on customer_days.customer_id = banded.customer_id
        and customer_days.date_day = banded.date_day
    left join tickets
        on customer_days.customer_id = tickets.customer_id
        and customer_days.date_day = tickets.date_day
    left join surveys
        on customer_days.customer_id = surveys.customer_id
        and customer_days.date_day = surveys.date_day
    left join customers
        on customer_days.customer_id = customers.customer_id

)

select * from final
