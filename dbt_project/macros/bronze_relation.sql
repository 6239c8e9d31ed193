{#- The relation a staging model reads a bronze dataset (or the data-quality results) from.

    Staging models call `{{ bronze_relation('network', 'pm_counters') }}` instead of `source()`:
    dbt still records the source (lineage, Dagster's asset graph, unit-test fixtures), and each
    engine reads the same Parquet files its own way.

    - DuckDB: the source itself, rendered by dbt-duckdb from its `external_location` meta
      (`read_parquet('<data>/bronze/<table>/**/*.parquet', union_by_name=true, ...)`).
    - Spark: `parquet.`<glob>``, the bronze folder's zero-row `schema.parquet` (present even
      before the first file, so a dataset without rows still has its columns; a name starting
      with `_` would be hidden from Spark) plus every `day=*/` partition file. The `day=` folders are
      named in the glob, so Spark infers no `day` column (DuckDB's hive_partitioning=false);
      columns added over time merge by name (`spark.sql.parquet.mergeSchema` in profiles.yml).
    In a dbt unit test `source()` returns the fixture's CTE, used as is on both engines. -#}
{% macro bronze_relation(source_name, table_name) -%}
    {{ return(adapter.dispatch('bronze_relation')(source_name, table_name)) }}
{%- endmacro %}

{% macro default__bronze_relation(source_name, table_name) -%}
    {{ return(source(source_name, table_name)) }}
{%- endmacro %}

{% macro spark__bronze_relation(source_name, table_name) -%}
    {%- set relation = source(source_name, table_name) -%}
    {%- if relation.type == 'cte' -%}
        {{ return(relation) }}
    {%- endif -%}
    {%- if source_name == 'quality' -%}
        {%- set files = data_dir() ~ '/quality/*.parquet' -%}
    {%- else -%}
        {%- set files = data_dir() ~ '/bronze/' ~ relation.identifier ~ '/{schema.parquet,day=*/*.parquet}' -%}
    {%- endif -%}
    {{ return('parquet.`' ~ files ~ '`') }}
{%- endmacro %}

{#- The data folder: ITOT_DATA, an absolute path (profiles.yml); unset, ../data (dbt runs in
    dbt_project/). -#}
{% macro data_dir() -%}
    {{- env_var('ITOT_DATA', '../data') -}}
{%- endmacro %}
