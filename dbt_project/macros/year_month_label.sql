{#- "YYYY-MM" of a date or timestamp (the month keys of the KPI contract). -#}
{% macro year_month_label(column) -%}
    {{ return(adapter.dispatch('year_month_label')(column)) }}
{%- endmacro %}

{% macro default__year_month_label(column) -%}
    strftime({{ column }}, '%Y-%m')
{%- endmacro %}

{% macro spark__year_month_label(column) -%}
    date_format({{ column }}, 'yyyy-MM')
{%- endmacro %}
