{#- One row per quality incident and customer it affected (docs/kpi_definitions.md, "Closed
    loop"): the customers whose home cell is the incident's cell and who were active when it
    started, and the customers whose usage shows the cell serving them on a UTC day from
    affected_lookback_days (roi_assumptions) before the incident's start day to its end day: a
    cell that served a customer in the last days serves them again (usage records are a sample
    of each day's traffic, so the incident's own days miss many of its users). These are the
    customers a proactive notice goes to, and whose complaints the incident explains. -#}
with

incidents as (

    select incident_id, cell_id, started_at, ended_at
    from {{ ref('fct_incidents') }}
    where is_quality_incident

),

customers as (

    select customer_id, home_cell_id, created_at, terminated_at from {{ ref('dim_customer') }}

),

lookback as (

    select cast(coalesce(affected_lookback_days, 0) as {{ dbt.type_bigint() }}) as lookback_days
    from {{ ref('int_business__roi_assumptions') }}

),

serving_cells as (

    select customer_id, usage_date, cell_id from {{ ref('int_network__customer_serving_cells_daily') }}

),

home as (

    select
        incidents.incident_id,
        customers.customer_id,
        1 as via_home_cell,
        0 as via_usage
    from incidents
    inner join customers
        on incidents.cell_id = customers.home_cell_id
        and (customers.created_at is null or customers.created_at <= incidents.started_at)
        and (customers.terminated_at is null or customers.terminated_at > incidents.started_at)

),

served as (

    select distinct
        incidents.incident_id,
        serving_cells.customer_id,
        0 as via_home_cell,
        1 as via_usage
    from incidents
    cross join lookback
    inner join serving_cells
        on incidents.cell_id = serving_cells.cell_id
        and serving_cells.usage_date
            >= {{ dbt.dateadd('day', '-lookback.lookback_days', 'cast(incidents.started_at as date)') }}
        and serving_cells.usage_date <= cast(coalesce(incidents.ended_at, incidents.started_at) as date)

),

both_sets as (

    select * from home
    union all
    select * from served

),

final as (

    select
        incident_id,
        customer_id,
        max(via_home_cell) = 1 as is_home_cell,
        max(via_usage) = 1 as is_served_by_cell
    from both_sets
    group by incident_id, customer_id

)

select * from final
