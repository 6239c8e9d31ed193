{#- ROI of automation per month of the reporting period: benefit per lever, program cost,
    cumulative benefit and cost, cumulative ROI % = 100 * (benefit - cost) / cost, and whether
    the month is the payback month (the first whose cumulative benefit reaches its cumulative
    cost). -#}
with

lever_daily as (

    select * from {{ ref('kpi_roi_lever_daily') }}

),

costs as (

    select * from {{ ref('kpi_roi_costs_monthly') }}

),

lever_monthly as (

    select
        month_start_date,
        sum(case when lever = 'labour' then benefit else 0 end) as labour_benefit,
        sum(case when lever = 'fallout' then benefit else 0 end) as fallout_benefit,
        sum(case when lever = 'truck_rolls' then benefit else 0 end) as truck_rolls_benefit,
        sum(case when lever = 'churn' then benefit else 0 end) as churn_benefit,
        sum(case when lever = 'leakage' then benefit else 0 end) as leakage_benefit,
        sum(benefit) as benefit
    from lever_daily
    group by 1

),

monthly as (

    select
        costs.month_start_date,
        costs.month_label,
        coalesce(lever_monthly.labour_benefit, 0.0) as labour_benefit,
        coalesce(lever_monthly.fallout_benefit, 0.0) as fallout_benefit,
        coalesce(lever_monthly.truck_rolls_benefit, 0.0) as truck_rolls_benefit,
        coalesce(lever_monthly.churn_benefit, 0.0) as churn_benefit,
        coalesce(lever_monthly.leakage_benefit, 0.0) as leakage_benefit,
        coalesce(lever_monthly.benefit, 0.0) as benefit,
        costs.running_cost + costs.one_off_cost as cost
    from costs
    left join lever_monthly
        on costs.month_start_date = lever_monthly.month_start_date

),

cumulative as (

    select
        *,
        sum(benefit) over (order by month_start_date rows unbounded preceding)
            as cumulative_benefit,
        sum(cost) over (order by month_start_date rows unbounded preceding) as cumulative_cost
    from monthly

),

payback as (

    select min(month_start_date) as payback_month_start_date
    from cumulative
    where cumulative_benefit >= cumulative_cost

),

final as (

    select
        cast(cumulative.month_start_date as date) as month_start_date,
        cast(cumulative.month_label as {{ dbt.type_string() }}) as month_label,
        {%- for column in [
            'labour_benefit', 'fallout_benefit', 'truck_rolls_benefit', 'churn_benefit',
            'leakage_benefit', 'benefit', 'cost', 'cumulative_benefit', 'cumulative_cost'
        ] %}
        cast(round(cumulative.{{ column }}, 4) as {{ type_double() }}) as {{ column }},
        {%- endfor %}
        cast(
            case
                when cumulative.cumulative_cost <> 0
                    then round(
                        cast(100.0 as {{ type_double() }}) * (cumulative.cumulative_benefit - cumulative.cumulative_cost)
                        / cumulative.cumulative_cost,
                        4
                    )
            end
            as {{ type_double() }}
        ) as cumulative_roi_pct,
        coalesce(cumulative.month_start_date = payback.payback_month_start_date, false)
            as is_payback_month
    from cumulative
    cross join payback

)

select * from final
