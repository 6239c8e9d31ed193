{#- An instant as readable UTC text to the minute, for messages: 2026-01-10 14:05. -#}
{% macro format_utc_minute(column) -%}
    {{ return(adapter.dispatch('format_utc_minute')(column)) }}
{%- endmacro %}

{% macro default__format_utc_minute(column) -%}
    strftime({{ column }}, '%Y-%m-%d %H:%M')
{%- endmacro %}

{% macro spark__format_utc_minute(column) -%}
    date_format({{ column }}, 'yyyy-MM-dd HH:mm')
{%- endmacro %}
