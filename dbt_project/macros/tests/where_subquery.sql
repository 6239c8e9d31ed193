{#- What a generic data test reads of the model it tests (dbt's get_where_subquery, overridden).

    As dbt's own: the test's `where` config, when set, filters the model. In addition, on a run
    that rebuilds given days (dbt vars from_day/to_day: a new day, a daily partition), a test of
    a per-day incremental model (day_incremental_config) reads only those days: the other days
    were not rewritten, and were tested when they were. On the large profile the radio KPI model
    holds 30M rows for a month; a new day's tests read its 1M. Every test of these models is per
    row or per key within a day (not null, ranges, relationships to the cells, the unique cell
    and period), so the rebuilt days' rows are what can break one. Without those vars (a first
    or full build) every row is tested. -#}
{% macro get_where_subquery(relation) -%}
    {%- set filters = [] -%}
    {%- set where = config.get('where', '') -%}
    {%- if where -%}
        {%- do filters.append('(' ~ where ~ ')') -%}
    {%- endif -%}
    {%- set day_column = rebuilt_day_column(relation) -%}
    {%- if day_column -%}
        {%- set from_day = var('from_day', none) -%}
        {%- set to_day = var('to_day', none) -%}
        {%- set first = validated_day(from_day or to_day) -%}
        {%- set last = validated_day(to_day or from_day) -%}
        {#- a row without a day is never replaced by a day's rebuild: always tested -#}
        {%- do filters.append(
            "(" ~ day_column ~ " between cast('" ~ first ~ "' as date) and cast('" ~ last
            ~ "' as date) or " ~ day_column ~ " is null)"
        ) -%}
    {%- endif -%}
    {%- if filters -%}
        {%- set filtered -%}
            (select * from {{ relation }} where {{ filters | join(' and ') }}) dbt_subquery
        {%- endset -%}
        {%- do return(filtered) -%}
    {%- else -%}
        {%- do return(relation) -%}
    {%- endif -%}
{%- endmacro %}

{#- The day column of `relation` when it is a per-day incremental model and this run rebuilds
    given days (from_day/to_day set); none otherwise. -#}
{% macro rebuilt_day_column(relation) -%}
    {%- if not execute or not (var('from_day', none) or var('to_day', none)) -%}
        {%- do return(none) -%}
    {%- endif -%}
    {%- for node in graph.nodes.values() -%}
        {%- if node.resource_type == 'model'
            and (node.alias or node.name) | lower == relation.identifier | lower
            and node.schema | lower == relation.schema | lower
            and node.config.materialized == 'incremental' -%}
            {%- set key = node.config.unique_key or node.config.partition_by -%}
            {%- if key is string -%}
                {%- do return(key) -%}
            {%- elif key -%}
                {%- do return(key[0]) -%}
            {%- endif -%}
        {%- endif -%}
    {%- endfor -%}
    {%- do return(none) -%}
{%- endmacro %}
