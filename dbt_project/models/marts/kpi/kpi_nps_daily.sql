{#- Net Promoter Score per UTC response day and survey channel, with 'all' channels rolled up:
    responses (NPS 0..10), promoters (9-10), passives (7-8), detractors (0-6) and
    NPS = 100 * (promoters - detractors) / responses. Counts add up over any period. -#}
with

survey_responses as (

    -- fct_survey_responses (helper net, marts/experience) adds experience bands; the score is all
    -- this needs, read from staging so the headline does not wait for the experience model
    select
        *,
        {{ nps_class('nps_score') }} as nps_class
    from {{ ref('stg_customer__survey_responses') }}
    where nps_score between 0 and 10

),

dates as (

    select * from {{ ref('dim_date') }}

),

aggregated as (

    select
        survey_responses.response_date as date_day,
        survey_responses.channel,
        grouping(survey_responses.channel) as is_all_channels,
        count(*) as responses,
        sum(case when nps_class = 'promoter' then 1 else 0 end) as promoters,
        sum(case when nps_class = 'passive' then 1 else 0 end) as passives,
        sum(case when nps_class = 'detractor' then 1 else 0 end) as detractors
    from survey_responses
    inner join dates
        on survey_responses.response_date = dates.date_day
    group by grouping sets ((survey_responses.response_date, survey_responses.channel),
        (survey_responses.response_date))

),

final as (

    select
        cast(date_day as date) as date_day,
        cast(
            case when is_all_channels = 1 then 'all' else coalesce(channel, 'unknown') end
            as {{ dbt.type_string() }}
        ) as channel,
        cast(responses as {{ dbt.type_bigint() }}) as responses,
        cast(promoters as {{ dbt.type_bigint() }}) as promoters,
        cast(passives as {{ dbt.type_bigint() }}) as passives,
        cast(detractors as {{ dbt.type_bigint() }}) as detractors,
        {{ pct_of('(promoters - detractors)', 'responses') }} as nps
    from aggregated

)

select * from final
