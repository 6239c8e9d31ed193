{#- The cells that served each subscriber each UTC day, from TMF635 usage records, with the share
    of the subscriber's day volume each cell carried (the weight of its quality in the customer's
    experience). Rated usage only; usage without a serving cell is left out. -#}
with

usage_records as (

    select * from {{ ref('stg_customer__usage_records') }}
    where serving_cell_id is not null
        and customer_id is not null
        and usage_at is not null

),

per_cell as (

    select
        customer_id,
        cast(usage_at as date) as usage_date,
        serving_cell_id as cell_id,
        count(*) as usage_records,
        sum(coalesce(volume_mb, 0)) as volume_mb,
        sum(coalesce(duration_s, 0)) as duration_s
    from usage_records
    group by 1, 2, 3

),

final as (

    select
        customer_id,
        usage_date,
        cell_id,
        cast(usage_records as {{ dbt.type_bigint() }}) as usage_records,
        cast(volume_mb as {{ type_double() }}) as volume_mb,
        cast(duration_s as {{ type_double() }}) as duration_s,
        cast(
            case
                when sum(volume_mb) over (partition by customer_id, usage_date) > 0
                    then volume_mb / sum(volume_mb) over (partition by customer_id, usage_date)
                else cast(1.0 as {{ type_double() }}) / count(*) over (partition by customer_id, usage_date)
            end
            as {{ type_double() }}
        ) as usage_share
    from per_cell

)

select * from final
