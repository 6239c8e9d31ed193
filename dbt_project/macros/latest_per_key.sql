{#
    Keep one row per business key: the latest delivery of a resource.

    Real BSS extracts deliver the same resource in several files (a list export and a retrieve,
    or yesterday's and today's snapshot). Staging keeps the latest version: the newest by
    `order_by` (for example a last-update time), then the latest source file and record, so the
    choice is deterministic. `qualify` is supported by DuckDB, Snowflake, BigQuery, Databricks
    and Spark 4 (tested on 4.3; Spark 3 has no QUALIFY: an older cluster needs a subquery
    version here).
#}
{% macro latest_per_key(relation, key, order_by=none) %}
    {{ return(adapter.dispatch('latest_per_key')(relation, key, order_by)) }}
{% endmacro %}

{% macro default__latest_per_key(relation, key, order_by) %}
    select *
    from {{ relation }}
    qualify row_number() over (
        partition by {{ key }}
        order by {% if order_by %}{{ order_by }} desc nulls last, {% endif %}source_file desc, source_record desc
    ) = 1
{% endmacro %}

{% macro spark__latest_per_key(relation, key, order_by) %}
    {{ return(default__latest_per_key(relation, key, order_by)) }}
{% endmacro %}
