{#- Enum values in lower snake case: "inProgress" -> "in_progress", "CRITICAL" -> "critical",
    "human+system" stays "human+system". Regular-expression flags and back-references differ
    per engine (DuckDB: \1 and 'g'; Spark: $1, always global), hence the dispatch. -#}
{% macro normalise_enum(column) -%}
    {{ return(adapter.dispatch('normalise_enum')(column)) }}
{%- endmacro %}

{% macro default__normalise_enum(column) -%}
    nullif(lower(regexp_replace(trim({{ column }}), '([a-z0-9])([A-Z])', '\1_\2', 'g')), '')
{%- endmacro %}

{% macro spark__normalise_enum(column) -%}
    nullif(lower(regexp_replace(trim({{ column }}), '([a-z0-9])([A-Z])', '$1_$2')), '')
{%- endmacro %}
