{#- 64-bit floating point. dbt.type_float() is a 32-bit FLOAT on DuckDB, too coarse for KPIs. -#}
{% macro type_double() -%}
    {{ return(adapter.dispatch('type_double')()) }}
{%- endmacro %}

{% macro default__type_double() -%}
    double precision
{%- endmacro %}

{% macro spark__type_double() -%}
    double
{%- endmacro %}
