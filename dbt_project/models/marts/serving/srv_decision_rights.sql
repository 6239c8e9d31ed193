{#- The decision rights reference table (seed decision_rights, docs/governance.md) as the
    dashboards read it: one row per action. -#}
select
    action,
    model,
    subject_type,
    task_category,
    decision_rights,
    cast(autonomy_level as {{ dbt.type_int() }}) as autonomy_level,
    cast(threshold as {{ type_double() }}) as threshold,
    description
from {{ ref('decision_rights') }}
