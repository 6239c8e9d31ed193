{#- A UTC instant: DuckDB's timestamp with time zone; Spark's timestamp (an instant shown in the
    session time zone, UTC in profiles.yml). YAML cannot call macros: column contracts
    (data_type in *_models.yml) and unit-test fixtures spell the same choice out with
    `target.type`. -#}
{% macro type_instant() -%}
    {{ return(adapter.dispatch('type_instant')()) }}
{%- endmacro %}

{% macro default__type_instant() -%}
    timestamp with time zone
{%- endmacro %}

{% macro spark__type_instant() -%}
    timestamp
{%- endmacro %}
