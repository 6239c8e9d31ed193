{#- The contacts-avoided lever per UTC month of the reporting period (docs/kpi_definitions.md,
    "Closed loop"), by the month of the quality incident's start. Baseline: no notice was ever
    sent, so every avoidable contact (a complaint linked to a quality incident and created
    after its detection) happened; with the notice list sent at detection,
    contacts_avoided = avoidable_contacts x notice_deflection_share and
    benefit = contacts_avoided x cost_per_contact (both from roi_assumptions). A potential
    benefit, shown beside the ROI of automation, not inside its realised `roi.benefit`. -#}
with

incidents as (

    select incident_id, started_at
    from {{ ref('fct_incidents') }}
    where is_quality_incident and is_in_period

),

notices as (

    select incident_id, count(*) as notices
    from {{ ref('srv_proactive_notices') }}
    group by incident_id

),

contacts as (

    select
        incident_id,
        count(*) as linked_contacts,
        sum(case when is_avoidable then 1 else 0 end) as avoidable_contacts
    from {{ ref('fct_incident_contacts') }}
    group by incident_id

),

assumptions as (

    select
        coalesce(notice_deflection_share, 0) as notice_deflection_share,
        coalesce(cost_per_contact, 0) as cost_per_contact
    from {{ ref('int_business__roi_assumptions') }}

),

monthly as (

    select
        {{ year_month_label('incidents.started_at') }} as month,
        count(*) as quality_incidents,
        sum(coalesce(notices.notices, 0)) as notices,
        sum(coalesce(contacts.linked_contacts, 0)) as linked_contacts,
        sum(coalesce(contacts.avoidable_contacts, 0)) as avoidable_contacts
    from incidents
    left join notices
        on incidents.incident_id = notices.incident_id
    left join contacts
        on incidents.incident_id = contacts.incident_id
    group by 1

),

final as (

    select
        monthly.month,
        cast(monthly.quality_incidents as {{ dbt.type_bigint() }}) as quality_incidents,
        cast(monthly.notices as {{ dbt.type_bigint() }}) as notices,
        cast(monthly.linked_contacts as {{ dbt.type_bigint() }}) as linked_contacts,
        cast(monthly.avoidable_contacts as {{ dbt.type_bigint() }}) as avoidable_contacts,
        cast(monthly.avoidable_contacts * assumptions.notice_deflection_share as {{ type_double() }})
            as contacts_avoided,
        cast(
            round(monthly.avoidable_contacts * assumptions.notice_deflection_share
                * assumptions.cost_per_contact, 4)
            as {{ type_double() }}
        ) as benefit
    from monthly
    cross join assumptions

)

select * from final
