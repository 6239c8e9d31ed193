{#- One row per NPS / CSAT survey response. NPS class: promoter 9-10, passive 7-8, detractor 0-6. -#}
with

survey_responses as (

    select * from {{ ref('stg_customer__survey_responses') }}

),

final as (

    select
        response_id,
        customer_id,
        channel,
        response_date,
        nps_score,
        csat_score,
        case
            when nps_score >= 9 then 'promoter'
            when nps_score >= 7 then 'passive'
            when nps_score >= 0 then 'detractor'
        end as nps_class
    from survey_responses
    where nps_score between 0 and 10

)

select * from final
