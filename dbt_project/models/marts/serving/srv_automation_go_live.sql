{#- The automation program's go-live day per workflow (reference table automation_go_live), so the
    dashboards can split before/after without reading seeds outside the marts. -#}
select
    cast(workflow as {{ dbt.type_string() }}) as workflow,
    cast(go_live_date as date) as go_live_date
from {{ ref('automation_go_live') }}
