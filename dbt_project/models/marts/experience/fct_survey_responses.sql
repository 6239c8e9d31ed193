{#- One row per survey response, with its NPS category (promoter 9-10, passive 7-8, detractor
    0-6) and the customer's experienced quality over the 30 days up to the response. -#}
with

responses as (

    select * from {{ ref('stg_customer__survey_responses') }}

),

experience as (

    select customer_id, date_day, experienced_impaired_share
    from {{ ref('fct_customer_experience_daily') }}
    where experienced_impaired_share is not null

),

bands as (

    select * from {{ ref('experience_quality_bands') }}

),

recent_experience as (

    select
        responses.response_id,
        max(experience.experienced_impaired_share) as worst_impaired_share_30d,
        count(experience.date_day) as observed_days_30d
    from responses
    inner join experience
        on responses.customer_id = experience.customer_id
        and experience.date_day <= responses.response_date
        and experience.date_day > {{ dbt.dateadd('day', -30, 'responses.response_date') }}
    group by responses.response_id

),

banded as (

    select response_id, worst_impaired_share_30d, observed_days_30d, quality_band
    from (
        select
            recent_experience.response_id,
            recent_experience.worst_impaired_share_30d,
            recent_experience.observed_days_30d,
            bands.quality_band,
            row_number() over (
                partition by recent_experience.response_id order by bands.band_order
            ) as band_rank
        from recent_experience
        inner join bands
            on recent_experience.worst_impaired_share_30d <= bands.max_impaired_share
    ) as ranked
    where band_rank = 1

),

final as (

    select
        responses.response_id,
        responses.customer_id,
        responses.channel,
        responses.response_date,
        responses.nps_score,
        responses.csat_score,
        {{ nps_class('responses.nps_score') }} as nps_category,
        cast(banded.worst_impaired_share_30d as {{ type_double() }}) as worst_impaired_share_30d,
        cast(coalesce(banded.observed_days_30d, 0) as {{ dbt.type_bigint() }}) as observed_days_30d,
        coalesce(banded.quality_band, 'no_usage') as quality_band_30d
    from responses
    left join banded
        on responses.response_id = banded.response_id

)

select * from final
