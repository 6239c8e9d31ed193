{#- The lifecycle of each TMF621 trouble ticket: when it was created and resolved, how long the
    resolution took, and the operations workflow it belongs to (network incidents are handled by
    fault management, billing disputes by the billing-dispute workflow; complaints by neither). -#}
with

trouble_tickets as (

    select * from {{ ref('stg_customer__trouble_tickets') }}

),

final as (

    select
        ticket_id,
        ticket_type,
        case ticket_type
            when 'network_incident' then 'fault_management'
            when 'billing_dispute' then 'billing_dispute'
        end as workflow,
        customer_id,
        cell_id,
        severity,
        priority,
        status,
        created_at,
        resolved_at,
        status in ('resolved', 'closed') and resolved_at is not null as is_resolved,
        case
            -- a resolution before the creation (dates_inconsistent) has no resolution time
            when status in ('resolved', 'closed') and resolved_at >= created_at
                then {{ dbt.datediff('created_at', 'resolved_at', 'second') }} / cast(3600.0 as {{ type_double() }})
        end as resolution_hours
    from trouble_tickets

)

select * from final
