{#- One row: every money figure and duration of the ROI model, pivoted from the editable seed
    roi_assumptions (docs/kpi_definitions.md, ROI of automation). Nothing here is a constant:
    an assumption missing from the seed is null, and the marts treat it as 0. -#}
with

assumptions as (

    select * from {{ ref('roi_assumptions') }}

),

final as (

    select
        {%- for name in [
            'loaded_labour_rate_per_hour', 'minutes_per_human_task', 'minutes_per_assisted_task',
            'cost_per_fallout', 'truck_roll_cost', 'customer_value', 'dispute_churn_window_days',
            'leakage_recovery_share', 'program_cost_one_off', 'program_cost_per_month',
            'cost_per_contact', 'notice_deflection_share', 'contact_link_window_hours',
            'affected_lookback_days'
        ] %}
        max(case when assumption = '{{ name }}' then cast(value as {{ type_double() }}) end)
            as {{ name }}{% if not loop.last %},{% endif %}
        {%- endfor %}
    from assumptions

)

select * from final
