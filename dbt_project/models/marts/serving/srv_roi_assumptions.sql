{#- The ROI money assumptions (editable reference table roi_assumptions) as the dashboards show
    them beside every ROI figure and use as the what-if panel's defaults. -#}
select
    cast(assumption as {{ dbt.type_string() }}) as assumption,
    cast(value as {{ type_double() }}) as value,
    cast(unit as {{ dbt.type_string() }}) as unit,
    cast(description as {{ dbt.type_string() }}) as description
from {{ ref('roi_assumptions') }}
