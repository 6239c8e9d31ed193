{#- One row per ROI lever and case (docs/kpi_definitions.md, ROI of automation): when the case
    started, whether that is on or after its workflow's go-live date (seed automation_go_live),
    and the case's outcome on the lever:
    - labour (all workflows, process-log cases, start = first event): labour hours, from the
      minutes per human / assisted task of the seed roi_assumptions (system tasks: none);
    - truck_rolls (fault_management process-log cases): 1 when the case dispatched a technician;
    - fallout (order_fulfilment, orders, start = creation): 1 for a fallout order;
    - churn (billing_dispute tickets, start = creation): 1 when the customer terminated within
      dispute_churn_window_days of the dispute; only disputes created at least that long before
      the end of the data count. -#}
with

process_events as (

    select * from {{ ref('fct_process_events') }}

),

product_orders as (

    select * from {{ ref('fct_product_orders') }}

),

trouble_tickets as (

    select * from {{ ref('fct_trouble_tickets') }}

),

customers as (

    select * from {{ ref('dim_customer') }}

),

go_live as (

    select * from {{ ref('automation_go_live') }}

),

assumptions as (

    select * from {{ ref('int_business__roi_assumptions') }}

),

reporting_period as (

    select * from {{ ref('int_calendar__reporting_period') }}

),

process_cases as (

    select
        process_events.workflow,
        process_events.case_id,
        min(process_events.event_time_utc) as started_at,
        sum(
            case process_events.resource_type
                when 'human' then coalesce(assumptions.minutes_per_human_task, 0)
                when 'human+system' then coalesce(assumptions.minutes_per_assisted_task, 0)
                else 0
            end
        ) / cast(60.0 as {{ type_double() }}) as labour_hours,
        max(
            case when process_events.activity = 'Dispatch field technician' then 1 else 0 end
        ) as truck_rolls
    from process_events
    cross join assumptions
    where process_events.workflow in ('fault_management', 'order_fulfilment', 'billing_dispute')
    group by 1, 2

),

labour_cases as (

    select 'labour' as lever, workflow, case_id, started_at, labour_hours as outcome
    from process_cases

),

truck_roll_cases as (

    select 'truck_rolls' as lever, workflow, case_id, started_at, cast(1.0 as {{ type_double() }}) * truck_rolls as outcome
    from process_cases
    where workflow = 'fault_management'

),

fallout_cases as (

    select
        'fallout' as lever,
        'order_fulfilment' as workflow,
        order_id as case_id,
        created_at as started_at,
        case when is_fallout then 1.0 else 0.0 end as outcome
    from product_orders
    where created_at is not null

),

churn_cases as (

    select
        'churn' as lever,
        'billing_dispute' as workflow,
        trouble_tickets.ticket_id as case_id,
        trouble_tickets.created_at as started_at,
        case
            when customers.terminated_at >= trouble_tickets.created_at
                and {{ dbt.datediff('trouble_tickets.created_at', 'customers.terminated_at', 'second') }}
                    < assumptions.dispute_churn_window_days * 86400
                then 1.0
            else 0.0
        end as outcome
    from trouble_tickets
    cross join assumptions
    cross join reporting_period
    left join customers
        on trouble_tickets.customer_id = customers.customer_id
    where trouble_tickets.ticket_type = 'billing_dispute'
        and trouble_tickets.created_at is not null
        -- the window must have ended inside the data, before and after go-live alike
        and {{ dbt.datediff(
            'trouble_tickets.created_at',
            'cast(' ~ dbt.dateadd('day', 1, 'reporting_period.period_end_date') ~ ' as timestamp)',
            'second'
        ) }} >= assumptions.dispute_churn_window_days * 86400

),

all_cases as (

    select * from labour_cases
    union all
    select * from truck_roll_cases
    union all
    select * from fallout_cases
    union all
    select * from churn_cases

),

final as (

    select
        all_cases.lever,
        all_cases.workflow,
        all_cases.case_id,
        all_cases.started_at,
        cast(all_cases.started_at as date) as started_date,
        go_live.go_live_date,
        all_cases.started_at >= cast(go_live.go_live_date as timestamp) as is_after_go_live,
        all_cases.outcome
    from all_cases
    inner join go_live
        on all_cases.workflow = go_live.workflow

)

select * from final
