{#- Scored tasks of the process log per workflow, UTC day and task category: how many and their
    score sum (human 0, human+system 1, system 2). The additive grain from which any period's
    autonomy is computed (kpi_autonomy_category_monthly, `itot kpis --from/--to`). Only the
    three automated workflows and the five 3GPP TS 28.100 task categories count; events with
    another resource type are not scored. -#}
with

process_events as (

    select * from {{ ref('fct_process_events') }}

),

dates as (

    select * from {{ ref('dim_date') }}

),

final as (

    select
        cast(process_events.workflow as {{ dbt.type_string() }}) as workflow,
        cast(process_events.event_date as date) as date_day,
        cast(process_events.event_month as date) as month_start_date,
        cast(process_events.task_category as {{ dbt.type_string() }}) as task_category,
        cast(count(*) as {{ dbt.type_bigint() }}) as tasks_scored,
        cast(sum(process_events.task_score) as {{ dbt.type_bigint() }}) as task_score_sum,
        cast(
            sum(case when process_events.task_score = 2 then 1 else 0 end)
            as {{ dbt.type_bigint() }}
        ) as system_tasks
    from process_events
    inner join dates
        on process_events.event_date = dates.date_day
    where process_events.task_score is not null
        and process_events.workflow in ('fault_management', 'order_fulfilment', 'billing_dispute')
        and process_events.task_category in (
            'execution', 'awareness', 'analysis', 'decision', 'intent'
        )
    group by 1, 2, 3, 4

)

select * from final
