{#- Process-log tasks per workflow, UTC day, activity, task category and performer type: the
    Autonomy page ranks the tasks still done by humans from this instead of scanning every
    process event. -#}
select
    workflow,
    event_date as date_day,
    activity,
    task_category,
    resource_type,
    cast(count(*) as {{ dbt.type_bigint() }}) as tasks
from {{ ref('fct_process_events') }}
group by 1, 2, 3, 4, 5
