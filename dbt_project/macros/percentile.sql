{#- Continuous percentile of a column (0.5 = the median: the mean of the two middle values when
    the count is even, as Python's statistics.median). Ordered-set aggregate syntax is standard
    SQL (DuckDB, Postgres, Snowflake); engines without it get their own version by dispatch. -#}
{% macro percentile_cont(column, fraction) -%}
    {{ return(adapter.dispatch('percentile_cont')(column, fraction)) }}
{%- endmacro %}

{% macro default__percentile_cont(column, fraction) -%}
    percentile_cont({{ fraction }}) within group (order by {{ column }})
{%- endmacro %}

{% macro spark__percentile_cont(column, fraction) -%}
    percentile({{ column }}, {{ fraction }})
{%- endmacro %}
