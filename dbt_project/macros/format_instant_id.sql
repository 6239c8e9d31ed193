{#- An instant as compact UTC text for identifiers: 2026-01-10 14:00:00+00 -> 20260110T140000Z.
    Each engine's own format function, kept in this one macro. -#}
{% macro format_instant_id(column) -%}
    {{ return(adapter.dispatch('format_instant_id')(column)) }}
{%- endmacro %}

{% macro default__format_instant_id(column) -%}
    strftime({{ column }}, '%Y%m%dT%H%M%SZ')
{%- endmacro %}

{% macro spark__format_instant_id(column) -%}
    date_format({{ column }}, "yyyyMMdd'T'HHmmss'Z'")
{%- endmacro %}
