"""The Data health page's queries: the pipeline's own health.

`ingest_ledger` (per file and dataset), `ingest_ledger_files` (per file, with its per-dataset
breakdown), `ingest_quarantine_reasons`, `fct_data_quality_results`, `dbt_test_results`, and
`stale_models` (the models a blocked dataset held back).
"""

from __future__ import annotations

from typing import Any

import polars as pl

from dashboards.queries.runner import fetch

HEALTH_TABLES = frozenset(
    {
        "ingest_ledger",
        "ingest_ledger_files",
        "ingest_quarantine_reasons",
        "fct_data_quality_results",
        "dbt_test_results",
    }
)

STALE_TABLES = frozenset({"stale_models"})

SQL_SOURCE_FRESHNESS = """
with parts as (  -- the per-file breakdowns: no 0-row twin of a file that feeds another dataset
    select f.format, d.dataset, d.rows_in, d.rows_loaded, d.rows_quarantined
    from ingest_ledger_files as f, unnest(f.datasets) as u(d)
    union all
    select format, null as dataset, rows_in, rows_loaded, rows_quarantined
    from ingest_ledger_files
    where len(datasets) = 0
),
ingested as (
    select dataset, format, max(ingested_at) as last_ingested_at
    from ingest_ledger
    group by all
),
per_source as (
    select dataset, format,
           count(*)::bigint as files,
           sum(rows_in)::bigint as rows_in,
           sum(rows_loaded)::bigint as rows_loaded,
           sum(rows_quarantined)::bigint as rows_quarantined
    from parts
    group by all
),
ledger as (
    select per_source.*, ingested.last_ingested_at
    from per_source
    left join ingested
      on per_source.dataset is not distinct from ingested.dataset
     and per_source.format is not distinct from ingested.format
),
freshness as (
    select dataset,
           max(try_cast(json_extract_string(observed, '$.newest') as timestamptz))
               filter (where expectation_type = 'event_lag_hours') as newest_event_at,
           max(try_cast(json_extract(observed, '$.lag_hours') as double))
               filter (where expectation_type = 'event_lag_hours') as event_lag_hours,
           max(try_cast(json_extract(observed, '$.max') as double))
               filter (where expectation_type = 'event_lag_hours') as max_event_lag_hours,
           bool_and(is_success) as is_fresh,
           max(checked_at) as checked_at
    from fct_data_quality_results
    where check_name = 'freshness'
    group by dataset
)
select
    coalesce(ledger.dataset, freshness.dataset) as dataset,
    ledger.format, ledger.files, ledger.rows_in, ledger.rows_loaded, ledger.rows_quarantined,
    ledger.last_ingested_at, freshness.newest_event_at, freshness.event_lag_hours,
    freshness.max_event_lag_hours,
    case when freshness.is_fresh is null then 'not checked'
         when freshness.is_fresh then 'fresh' else 'stale' end as freshness,
    freshness.checked_at
from ledger full outer join freshness on ledger.dataset = freshness.dataset
order by dataset, format
"""

SQL_LEDGER_TOTALS = """
select count(*)::bigint as files,
       coalesce(sum(rows_in), 0)::bigint as rows_in,
       coalesce(sum(rows_loaded), 0)::bigint as rows_loaded,
       coalesce(sum(rows_quarantined), 0)::bigint as rows_quarantined,
       count(*) filter (where rows_quarantined > 0)::bigint as files_with_rejects
from ingest_ledger_files
"""

SQL_LEDGER_FILES = """
select file_path, format, status, rows_in, rows_loaded, rows_quarantined, reason,
       breakdown as datasets, duplicate_of, size_bytes
from ingest_ledger_files
order by rows_quarantined desc, file_path
"""

SQL_QUARANTINE_REASONS = """
select reason, format,
       count(distinct file_key)::bigint as files,
       sum(rows_quarantined)::bigint as rows_quarantined
from ingest_quarantine_reasons
group by all
order by rows_quarantined desc, reason, format
"""

SQL_GX_SUMMARY = """
select dataset,
       count(*) filter (where check_name = 'expectations')::bigint as expectations,
       count(*) filter (where check_name = 'expectations' and is_success)::bigint as passed,
       count(*) filter (where check_name = 'expectations' and not is_success
                        and severity = 'error')::bigint as errors,
       count(*) filter (where check_name = 'expectations' and not is_success
                        and severity = 'warning')::bigint as warnings,
       max(checked_at) as checked_at
from fct_data_quality_results
group by dataset
order by errors desc, warnings desc, dataset
"""

SQL_GX_RESULTS = """
select dataset, check_name, expectation, severity, is_success, is_blocking_failure,
       unexpected_count, element_count, rows_total, is_sampled, observed, checked_at
from fct_data_quality_results
order by is_success, severity, dataset, check_name, expectation
"""

SQL_DBT_TEST_SUMMARY = """
select status, count(*)::bigint as tests, max(run_generated_at) as run_generated_at
from dbt_test_results
group by status
order by status
"""

SQL_BLOCKED_DATASETS = """
select dataset, check_name, any_value(reason) as reason, any_value(expectations) as expectations,
       max(unexpected_rows)::bigint as unexpected_rows, max(rows_total)::bigint as rows_total,
       count(*)::bigint as stale_models,
       string_agg(model, ', ' order by model)
           filter (where regexp_matches(model, '^(kpi|srv|fct|dim)_'))
           as stale_marts,
       bool_or(kept <> 'last good version') as has_empty
from stale_models
group by dataset, check_name
order by dataset
"""

SQL_STALE_MODELS = """
select model, dataset, check_name, kept, unexpected_rows, rows_total, expectations
from stale_models
order by dataset, model
"""

SQL_DBT_TESTS = """
select test_name, test_type, model, column_name, severity, status, failures, message,
       round(execution_time_s, 3) as execution_time_s
from dbt_test_results
order by status = 'pass', model, test_name
"""


def source_freshness() -> pl.DataFrame:
    """Per bronze dataset and format: files, rows in/loaded/quarantined, newest event, freshness."""
    return fetch(SQL_SOURCE_FRESHNESS)


def ledger_totals() -> dict[str, Any]:
    """Files and rows over the whole ingest ledger."""
    return fetch(SQL_LEDGER_TOTALS).to_dicts()[0]


def ledger_files() -> pl.DataFrame:
    """One row per source file (totals, reason, its per-dataset breakdown as text), files with
    rejects first."""
    return fetch(SQL_LEDGER_FILES)


def quarantine_reasons() -> pl.DataFrame:
    """Quarantined rows per reason and format, most frequent first."""
    return fetch(SQL_QUARANTINE_REASONS)


def gx_summary() -> pl.DataFrame:
    """Per dataset: expectations run, passed, failed as errors and as warnings."""
    return fetch(SQL_GX_SUMMARY)


def gx_results() -> pl.DataFrame:
    """Every latest expectation and freshness result, failures first."""
    return fetch(SQL_GX_RESULTS)


def blocked_datasets() -> pl.DataFrame:
    """Per blocked dataset: the check, its reason, rows flagged, how many models it held back
    and which marts (empty when nothing is blocked, or the snapshot predates `stale_models`)."""
    return fetch(SQL_BLOCKED_DATASETS)


def stale_models() -> pl.DataFrame:
    """Every model a blocked dataset held back: the last good version, or empty."""
    return fetch(SQL_STALE_MODELS)


def dbt_test_summary() -> pl.DataFrame:
    """dbt tests of the latest build per status."""
    return fetch(SQL_DBT_TEST_SUMMARY)


def dbt_tests() -> pl.DataFrame:
    """Every dbt test of the latest build, failures first."""
    return fetch(SQL_DBT_TESTS)
