{#- Features of the cell anomaly detector, one row per cell and UTC hour: the radio KPIs of
    fct_cell_quality_hourly with the cell's technology, and split ('train'
    before the scoring window, 'score' inside it). A view: the hourly mart is the large one, and
    the detector reads it once per build. -#}
{#- A table on Spark: the anomaly model reads marts from their Parquet files, and a Spark view has none. -#}
{{ config(materialized=('table' if target.type == 'spark' else 'view')) }}

with

hours as (

    select * from {{ ref('fct_cell_quality_hourly') }}

),

cells as (

    select cell_id, technology from {{ ref('dim_cell') }}

),

scoring as (

    select distinct scoring_start_date from {{ ref('fct_prediction_windows') }}

),

final as (

    select
        hours.cell_id,
        hours.hour_start_utc,
        hours.date_day,
        coalesce(cells.technology, 'unknown') as technology,
        hours.periods_reported,
        hours.accessibility_pct,
        hours.retainability_pct,
        hours.availability_pct,
        hours.dl_user_throughput_kbps,
        hours.prb_utilisation_dl_pct,
        cast(case when hours.date_day >= scoring.scoring_start_date then 'score' else 'train' end
            as {{ dbt.type_string() }}) as split
    from hours
    cross join scoring
    left join cells on hours.cell_id = cells.cell_id

)

select * from final
