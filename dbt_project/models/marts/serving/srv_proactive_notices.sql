{#- A table, not a view: a view's SQL would store the pseudonym key in the snapshot. -#}
{{ config(materialized='table') }}
{#- One row per quality incident and affected customer to notify (docs/kpi_definitions.md,
    "Closed loop"): the channel and message of the customer's segment (notice_templates seed),
    the placeholders filled per incident. customer_key is the keyed hash of the customer id
    (pseudonymise macro), so the list carries no name, MSISDN or e-mail; created_at is when
    the notice goes out: the incident's detection. Customers of a segment without a template
    get no notice. -#}
with

affected as (

    select * from {{ ref('fct_incident_affected_customers') }}

),

incidents as (

    select incident_id, cell_id, region, started_at, detected_at
    from {{ ref('fct_incidents') }}
    where is_quality_incident

),

customers as (

    select customer_id, segment from {{ ref('dim_customer') }}

),

templates as (

    select segment, channel, template from {{ ref('notice_templates') }}

),

final as (

    select
        incidents.incident_id,
        {{ pseudonymise('affected.customer_id') }} as customer_key,
        templates.channel,
        replace(
            replace(
                replace(templates.template, '{region}', coalesce(incidents.region, 'your area')),
                '{started_at}',
                {{ format_utc_minute('incidents.started_at') }}
            ),
            '{incident_id}',
            incidents.incident_id
        ) as message,
        incidents.detected_at as created_at,
        incidents.region,
        customers.segment
    from affected
    inner join incidents
        on affected.incident_id = incidents.incident_id
    inner join customers
        on affected.customer_id = customers.customer_id
    inner join templates
        on customers.segment = templates.segment

)

select * from final
