{#- The Net Promoter class of an NPS score (0..10): 'promoter' (9-10), 'passive' (7-8),
    'detractor' (0-6); null outside 0..10 (docs/kpi_definitions.md). The one place the classes
    are defined: every NPS count reads it. -#}
{% macro nps_class(score) -%}
    case
        when {{ score }} between 9 and 10 then 'promoter'
        when {{ score }} between 7 and 8 then 'passive'
        when {{ score }} between 0 and 6 then 'detractor'
    end
{%- endmacro %}
