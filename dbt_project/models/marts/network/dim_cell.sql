with

cells as (

    select * from {{ ref('stg_network__cells') }}

),

final as (

    select
        cell_id,
        cell_name,
        site_id,
        site_name,
        region,
        latitude,
        longitude,
        technology,
        vendor,
        band,
        ne_id,
        meas_obj_ldn,
        install_date
    from cells

)

select * from final
