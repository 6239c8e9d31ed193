{#- Data usage per customer, UTC day and serving cell (TMF635), with the share of the customer's
    day each cell carried. -#}
with

serving_cells as (

    select * from {{ ref('int_network__customer_serving_cells_daily') }}

),

cells as (

    select cell_id, site_id, region from {{ ref('dim_cell') }}

),

final as (

    select
        serving_cells.customer_id,
        serving_cells.usage_date,
        serving_cells.cell_id,
        cells.site_id,
        cells.region as cell_region,
        serving_cells.usage_records,
        serving_cells.volume_mb,
        serving_cells.duration_s,
        serving_cells.usage_share
    from serving_cells
    left join cells
        on serving_cells.cell_id = cells.cell_id

)

select * from final
