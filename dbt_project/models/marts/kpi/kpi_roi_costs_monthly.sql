{#- Program cost per calendar month of the reporting period (roi_assumptions):
    program_cost_per_month for every month with at least one day in the period, plus
    program_cost_one_off in the period's first month. -#}
with

dates as (

    select * from {{ ref('dim_date') }}

),

assumptions as (

    select * from {{ ref('int_business__roi_assumptions') }}

),

months as (

    select month_start_date from dates group by 1

),

final as (

    select
        cast(months.month_start_date as date) as month_start_date,
        cast({{ year_month_label('months.month_start_date') }} as {{ dbt.type_string() }})
            as month_label,
        cast(coalesce(assumptions.program_cost_per_month, 0.0) as {{ type_double() }})
            as running_cost,
        cast(
            case
                when months.month_start_date = (select min(month_start_date) from months)
                    then coalesce(assumptions.program_cost_one_off, 0.0)
                else 0.0
            end
            as {{ type_double() }}
        ) as one_off_cost
    from months
    cross join assumptions

)

select * from final
