{#- The values of a text column in a group, sorted and joined by `delimiter` (a SQL literal),
    optionally distinct: the same text on every engine. dbt.listagg cannot promise it: its
    Spark version ignores the order. -#}
{% macro sorted_string_agg(column, delimiter, distinct=false) -%}
    {{ return(adapter.dispatch('sorted_string_agg')(column, delimiter, distinct)) }}
{%- endmacro %}

{% macro default__sorted_string_agg(column, delimiter, distinct) -%}
    string_agg({% if distinct %}distinct {% endif %}{{ column }}, {{ delimiter }} order by {{ column }})
{%- endmacro %}

{% macro spark__sorted_string_agg(column, delimiter, distinct) -%}
    array_join(array_sort({% if distinct %}collect_set{% else %}collect_list{% endif %}({{ column }})), {{ delimiter }})
{%- endmacro %}
