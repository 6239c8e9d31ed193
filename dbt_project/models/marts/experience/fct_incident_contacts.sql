{#- One row per complaint linked to a quality incident (docs/kpi_definitions.md, "Closed loop"):
    parent-child correlation of a customer's contact to the incident that explains it. A
    complaint links when its customer was affected by the incident (fct_incident_affected_
    customers) and it was created at or after the incident's start and, unless the incident is
    open, before its end plus contact_link_window_hours (roi_assumptions); of several such
    incidents, the latest started wins (one parent per ticket). A linked contact is avoidable
    when it was created at or after the incident's detection, when a proactive notice
    (srv_proactive_notices) would have been sent. -#}
with

complaints as (

    select ticket_id, customer_id, created_at
    from {{ ref('stg_customer__trouble_tickets') }}
    where ticket_type = 'complaint'
        and customer_id is not null
        and created_at is not null

),

affected as (

    select * from {{ ref('fct_incident_affected_customers') }}

),

incidents as (

    select incident_id, cell_id, region, started_at, ended_at, detected_at
    from {{ ref('fct_incidents') }}
    where is_quality_incident

),

assumptions as (

    select
        cast(coalesce(contact_link_window_hours, 0) * 3600 as {{ dbt.type_bigint() }}) as link_window_s
    from {{ ref('int_business__roi_assumptions') }}

),

candidates as (

    select
        complaints.ticket_id,
        complaints.customer_id,
        complaints.created_at,
        incidents.incident_id,
        incidents.cell_id,
        incidents.region,
        incidents.started_at as incident_started_at,
        incidents.detected_at as notice_at,
        row_number() over (
            partition by complaints.ticket_id
            order by incidents.started_at desc, incidents.incident_id
        ) as latest_first
    from complaints
    inner join affected
        on complaints.customer_id = affected.customer_id
    inner join incidents
        on affected.incident_id = incidents.incident_id
    cross join assumptions
    where complaints.created_at >= incidents.started_at
        and (
            incidents.ended_at is null
            or complaints.created_at
                < {{ dbt.dateadd('second', 'assumptions.link_window_s', 'incidents.ended_at') }}
        )

),

final as (

    select
        ticket_id,
        incident_id,
        customer_id,
        cell_id,
        region,
        created_at,
        incident_started_at,
        notice_at,
        created_at >= notice_at as is_avoidable
    from candidates
    where latest_first = 1

)

select * from final
