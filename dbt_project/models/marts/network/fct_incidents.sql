{#- One row per incident (docs/kpi_definitions.md, "Incidents"), with its detection times, MTTD,
    the network-incident ticket raised for it, and the customers it affected.

    MTTD (mean time to detect, per incident) = detection - fault start, where the fault start is
    the incident start (its first degraded period or alarm) and detection is the earliest of the
    first alarm raise, the end of the first degraded PM period (when its counters arrive) and
    the creation of a networkIncident ticket for it. A ticket belongs to the latest incident on
    its cell that started at or before the ticket's creation, when created before that incident
    ended plus one hour (null end: open). -#}
with

incidents as (

    select * from {{ ref('int_network__incidents') }}

),

reporting_period as (

    select * from {{ ref('int_calendar__reporting_period') }}

),

cells as (

    select cell_id, site_id, region, vendor, technology from {{ ref('dim_cell') }}

),

network_tickets as (

    select ticket_id, cell_id, created_at
    from {{ ref('stg_customer__trouble_tickets') }}
    where ticket_type = 'network_incident'
        and cell_id is not null
        and created_at is not null

),

ticket_candidates as (

    select
        network_tickets.ticket_id,
        network_tickets.created_at,
        incidents.incident_id,
        row_number() over (
            partition by network_tickets.ticket_id
            order by incidents.started_at desc
        ) as latest_first
    from network_tickets
    inner join incidents
        on network_tickets.cell_id = incidents.cell_id
        and network_tickets.created_at >= incidents.started_at
        and (
            incidents.ended_at is null
            or network_tickets.created_at < {{ dbt.dateadd('hour', 1, 'incidents.ended_at') }}
        )

),

incident_tickets as (

    select
        incident_id,
        count(*) as tickets,
        min(created_at) as first_ticket_created_at,
        min(ticket_id) as first_ticket_id
    from ticket_candidates
    where latest_first = 1
    group by incident_id

),

serving_cells as (

    select * from {{ ref('int_network__customer_serving_cells_daily') }}

),

customers as (

    select customer_id, home_cell_id, created_at, terminated_at from {{ ref('stg_customer__customers') }}

),

served_customers as (

    -- customers whose usage shows the incident's cell serving them on a day the incident touched
    select
        incidents.incident_id,
        count(distinct serving_cells.customer_id) as customers_affected
    from incidents
    inner join serving_cells
        on incidents.cell_id = serving_cells.cell_id
        and serving_cells.usage_date >= cast(incidents.started_at as date)
        and serving_cells.usage_date <= cast(coalesce(incidents.ended_at, incidents.started_at) as date)
    group by incidents.incident_id

),

home_customers as (

    -- customers whose home cell it is, active when the incident started
    select
        incidents.incident_id,
        count(*) as home_customers_affected
    from incidents
    inner join customers
        on incidents.cell_id = customers.home_cell_id
        and (customers.created_at is null or customers.created_at <= incidents.started_at)
        and (customers.terminated_at is null or customers.terminated_at > incidents.started_at)
    group by incidents.incident_id

),

detected as (

    select
        incidents.*,
        incident_tickets.first_ticket_id,
        incident_tickets.first_ticket_created_at,
        coalesce(incident_tickets.tickets, 0) as tickets,
        case
            when incident_tickets.first_ticket_created_at < incidents.first_detectable_at
                then incident_tickets.first_ticket_created_at
            else incidents.first_detectable_at
        end as detected_at
    from incidents
    left join incident_tickets
        on incidents.incident_id = incident_tickets.incident_id

),

final as (

    select
        detected.incident_id,
        detected.cell_id,
        cells.site_id,
        cells.region,
        cells.vendor,
        cells.technology,
        detected.started_at,
        detected.ended_at,
        cast(detected.started_at as date) as start_date,
        detected.ended_at is null as is_open,
        coalesce(
            detected.started_at >= cast(reporting_period.period_start_date as {{ dbt.type_timestamp() }})
            and detected.started_at < {{ dbt.dateadd('day', 1, 'cast(reporting_period.period_end_date as ' ~ dbt.type_timestamp() ~ ')') }},
            false
        ) as is_in_period,
        cast(case
            when detected.ended_at is not null
                then {{ dbt.datediff('detected.started_at', 'detected.ended_at', 'second') }} / cast(60.0 as {{ type_double() }})
        end as {{ type_double() }}) as duration_minutes,
        detected.alarm_episodes,
        detected.degraded_periods,
        detected.unavailable_periods,
        detected.low_accessibility_periods,
        detected.high_drop_rate_periods,
        detected.degraded_periods > 0 as is_quality_incident,
        detected.alarm_conditions,
        detected.first_alarm_at,
        detected.first_degraded_period_end_at,
        detected.first_ticket_id,
        detected.first_ticket_created_at,
        cast(detected.tickets as {{ dbt.type_bigint() }}) as tickets,
        detected.detected_at,
        cast({{ dbt.datediff('detected.started_at', 'detected.detected_at', 'second') }} / cast(60.0 as {{ type_double() }})
            as {{ type_double() }}) as mttd_minutes,
        cast(case
            when detected.first_ticket_created_at is not null
                then {{ dbt.datediff('detected.started_at', 'detected.first_ticket_created_at', 'second') }} / cast(60.0 as {{ type_double() }})
        end as {{ type_double() }}) as time_to_ticket_minutes,
        cast(coalesce(served_customers.customers_affected, 0) as {{ dbt.type_bigint() }}) as customers_affected,
        cast(coalesce(home_customers.home_customers_affected, 0) as {{ dbt.type_bigint() }})
            as home_customers_affected
    from detected
    cross join reporting_period
    left join cells
        on detected.cell_id = cells.cell_id
    left join served_customers
        on detected.incident_id = served_customers.incident_id
    left join home_customers
        on detected.incident_id = home_customers.incident_id

)

select * from final
