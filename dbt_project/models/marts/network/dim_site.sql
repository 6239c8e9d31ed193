{#- One row per radio site: its cells' location, region, vendor and technologies. -#}
with

cells as (

    select * from {{ ref('stg_network__cells') }}

),

final as (

    select
        site_id,
        min(site_name) as site_name,
        min(region) as region,
        cast(avg(latitude) as {{ type_double() }}) as latitude,
        cast(avg(longitude) as {{ type_double() }}) as longitude,
        min(vendor) as vendor,
        min(ne_id) as ne_id,
        {{ sorted_string_agg('technology', "', '", distinct=true) }} as technologies,
        cast(count(*) as {{ dbt.type_bigint() }}) as cells,
        min(install_date) as first_install_date
    from cells
    where site_id is not null
    group by site_id

)

select * from final
