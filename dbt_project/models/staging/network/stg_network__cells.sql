with

source as (

    select * from {{ bronze_relation('network', 'inventory_cells') }}

),

renamed as (

    select
        cast(cell_id as {{ dbt.type_string() }}) as cell_id,
        cast(cell_name as {{ dbt.type_string() }}) as cell_name,
        cast(site_id as {{ dbt.type_string() }}) as site_id,
        cast(site_name as {{ dbt.type_string() }}) as site_name,
        cast(region as {{ dbt.type_string() }}) as region,
        cast(latitude as {{ type_double() }}) as latitude,
        cast(longitude as {{ type_double() }}) as longitude,
        {{ normalise_enum('technology') }} as technology,
        cast(vendor as {{ dbt.type_string() }}) as vendor,
        cast(band as {{ dbt.type_string() }}) as band,
        cast(ne_id as {{ dbt.type_string() }}) as ne_id,
        cast(meas_obj_ldn as {{ dbt.type_string() }}) as meas_obj_ldn,
        cast(install_date as date) as install_date,
        source_file,
        source_record

    from source

)

select * from renamed
