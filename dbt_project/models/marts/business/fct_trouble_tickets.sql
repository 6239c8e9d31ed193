{#- MTTR per ticket: resolution time minus creation time (TMF621 resolutionDate - creationDate). -#}
with

ticket_lifecycle as (

    select * from {{ ref('int_business__ticket_lifecycle') }}

),

final as (

    select
        ticket_id,
        ticket_type,
        workflow,
        customer_id,
        cell_id,
        severity,
        priority,
        status,
        created_at,
        resolved_at,
        cast(created_at as date) as created_date,
        cast(resolved_at as date) as resolved_date,
        is_resolved,
        resolution_hours
    from ticket_lifecycle

)

select * from final
