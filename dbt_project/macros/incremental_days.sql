{#- Which days an incremental per-day model (re)builds, as a SQL predicate on an instant column.

    Models partitioned by UTC day use incremental_strategy='delete+insert' keyed on their day
    column: every day a run selects is deleted and inserted whole, so running a day twice gives
    the same rows, and a new day costs one day's work.

    - dbt vars `from_day` / `to_day` (YYYY-MM-DD, both ends included; one alone means that single
      day): exactly those days. This is how Dagster daily partitions drive the build.
    - otherwise, on an incremental run: the days after the latest day already in the table;
    - otherwise (first run, --full-refresh): every day.

    `ts_column` is the upstream instant whose UTC day is the row's day, compared as a range on the
    bare column so the filter reaches Parquet row-group statistics. `period_end=true` when the
    instant is the end of a period: a period ending at 00:00 belongs to the day before, so the
    range is (day 00:00, next day 00:00]. `day_column` is the model's own day column. -#}
{% macro incremental_days_filter(ts_column, day_column, period_end=false) -%}
    {%- set from_day = var('from_day', none) -%}
    {%- set to_day = var('to_day', none) -%}
    {%- set lower_op = '>' if period_end else '>=' -%}
    {%- set upper_op = '<=' if period_end else '<' -%}
    {%- if from_day or to_day -%}
        {%- set first = validated_day(from_day or to_day) -%}
        {%- set last = validated_day(to_day or from_day) -%}
        {{ ts_column }} {{ lower_op }} cast('{{ first }}' as {{ dbt.type_timestamp() }})
        and {{ ts_column }} {{ upper_op }} {{ dbt.dateadd('day', 1, "cast('" ~ last ~ "' as " ~ dbt.type_timestamp() ~ ")") }}
    {%- elif is_incremental() -%}
        {{ ts_column }} {{ lower_op }} (
            select {{ dbt.dateadd('day', 1, "coalesce(cast(max(" ~ day_column ~ ") as " ~ dbt.type_timestamp() ~ "), cast('1900-01-01' as " ~ dbt.type_timestamp() ~ "))") }}
            from {{ this }}
        )
    {%- else -%}
        1 = 1
    {%- endif -%}
{%- endmacro %}

{#- A YYYY-MM-DD day from a dbt var, or a compile error naming the bad value. -#}
{% macro validated_day(value) -%}
    {%- set text = value | string | trim -%}
    {%- if not modules.re.match('^[0-9]{4}-[0-9]{2}-[0-9]{2}$', text) -%}
        {{ exceptions.raise_compiler_error("from_day/to_day must be YYYY-MM-DD, got '" ~ text ~ "'") }}
    {%- endif -%}
    {{- text -}}
{%- endmacro %}

{#- The config of a model incremental per UTC day (`day_column`), per engine:
    - DuckDB: delete+insert keyed on the day: a selected day is deleted and inserted whole.
    - Spark: Parquet partitioned by the day, insert_overwrite with dynamic partition overwrite
      (profiles.yml): a selected day's partition is replaced whole, the others kept. The same
      rows either way. Spark stores the partition column last; the serving snapshot and every
      consumer select columns by name. -#}
{% macro day_incremental_config(day_column) -%}
    {%- set common = {'materialized': 'incremental', 'on_schema_change': 'fail'} -%}
    {%- if target.type == 'spark' -%}
        {%- do common.update({'incremental_strategy': 'insert_overwrite', 'partition_by': [day_column], 'file_format': 'parquet'}) -%}
    {%- else -%}
        {%- do common.update({'incremental_strategy': 'delete+insert', 'unique_key': day_column}) -%}
    {%- endif -%}
    {{ return(common) }}
{%- endmacro %}
