{#- Enum values in lower snake case: "inProgress" -> "in_progress", "CRITICAL" -> "critical",
    "human+system" stays "human+system". DuckDB regexp flags, kept in this one macro. -#}
{% macro normalise_enum(column) -%}
    nullif(lower(regexp_replace(trim({{ column }}), '([a-z0-9])([A-Z])', '\1_\2', 'g')), '')
{%- endmacro %}
