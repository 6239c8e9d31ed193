"""Every SQL the dashboards run against the serving snapshot, and the one cached runner.

Rules: user input only ever reaches SQL as a bound parameter (`$name`), never by string
formatting; the queries of one script run share one read-only DuckDB connection, closed when
the run ends (`one_connection_per_run`), so the publisher can swap the snapshot file at any
moment (no connection is cached or held open between reruns).

Grain of the marts read here (see docs/data_contracts.md and each mart's yml):
- `dim_date`: one row per UTC day of the reporting period (the period the filters offer);
- `dim_cell`, `dim_customer`: one row per cell / customer (the filters' regions, technologies
  and segments);
- `srv_orders`: one row per product order with its customer's region, segment and home-cell
  technology; `srv_order_timeline`: one row per event of an order;
- `ingest_ledger` (per file and dataset), `ingest_ledger_files` (per file, with its per-dataset
  breakdown), `ingest_quarantine_reasons`, `fct_data_quality_results`, `dbt_test_results`: the
  pipeline's own health (Data health page).

Global filters (`dashboards/filters.py`) reach SQL as `$start`, `$end` (dates) and `$regions`,
`$technologies`, `$segments` (lists, or NULL for all).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any

import duckdb
import polars as pl
import streamlit as st

from dashboards import data_source

CACHE_TTL_S = 60
# Every page needs the reporting period and the dimensions the global filters come from.
FRAME_TABLES = frozenset({"dim_date", "dim_cell", "dim_customer"})
ORDERS_TABLES = FRAME_TABLES | {"srv_orders", "srv_order_timeline"}
HEALTH_TABLES = frozenset(
    {
        "ingest_ledger",
        "ingest_ledger_files",
        "ingest_quarantine_reasons",
        "fct_data_quality_results",
        "dbt_test_results",
    }
)


# --- SQL -------------------------------------------------------------------------------------

SQL_TABLES = """
select table_name
from information_schema.tables
where table_schema = 'main'
order by table_name
"""

# dim_date is the reporting period's date spine: its first and last day are the period
# the KPIs divide by.
SQL_PERIOD = """
select min(date_day)::date as period_start, max(date_day)::date as period_end
from dim_date
"""

SQL_FILTER_OPTIONS = """
select 'region' as filter, region as value from dim_cell where region is not null
union
select 'region', region from dim_customer where region is not null
union
select 'technology', technology from dim_cell where technology is not null
union
select 'segment', segment from dim_customer where segment is not null
order by filter, value
"""

# --- the runner -----------------------------------------------------------------------------

# Opening a DuckDB file costs ~15–20 ms (catalog load), far more than most of these queries, and
# a page issues 6–25 of them. Inside `one_connection_per_run()` (app.py wraps each script run in
# it) the cache misses of that run share one read-only connection, closed when the run ends, so
# no connection outlives a run. A snapshot swapped mid-run is a new version: the next miss opens
# the new file (the old connection still reads the old, unlinked file consistently).
_run_state = threading.local()


@contextmanager
def one_connection_per_run() -> Iterator[None]:
    """Let the queries of this script run (this thread) share one connection; close it after."""
    _run_state.active = True
    try:
        yield
    finally:
        _run_state.active = False
        _close_run_connection()


def _close_run_connection() -> None:
    held = getattr(_run_state, "connection", None)
    _run_state.connection = None
    if held is not None:
        held[1].close()


def _connection(path: str, version: int) -> tuple[duckdb.DuckDBPyConnection, bool]:
    """A read-only connection to `path` and whether the caller must close it."""
    if not getattr(_run_state, "active", False):
        return duckdb.connect(path, read_only=True), True
    held = getattr(_run_state, "connection", None)
    if held is None or held[0] != (path, version):
        _close_run_connection()
        _run_state.connection = ((path, version), duckdb.connect(path, read_only=True))
    return _run_state.connection[1], False


@st.cache_data(ttl=CACHE_TTL_S, show_spinner=False)
def run_query(
    path: str, version: int, sql: str, params: dict[str, Any] | None = None
) -> pl.DataFrame:
    """Run one query on the snapshot at `path` over a read-only connection: this run's shared
    one inside `one_connection_per_run()`, else a fresh one closed at once.

    `version` (the snapshot's mtime) is only part of the cache key: a swapped snapshot is a new
    key, so it is read at once. Raises `duckdb.IOException` if the file is missing or locked.
    """
    con, owned = _connection(path, version)
    try:
        return con.execute(sql, params or {}).pl()
    finally:
        if owned:
            con.close()


def _fetch(sql: str, params: dict[str, Any] | None = None) -> pl.DataFrame:
    path = data_source.serving_path()
    used = {name: value for name, value in (params or {}).items() if f"${name}" in sql}
    return run_query(str(path), data_source.snapshot_version(path), sql, used)


# --- typed queries --------------------------------------------------------------------------


def table_names() -> set[str]:
    """Tables in the snapshot (empty if the file does not exist)."""
    if not data_source.serving_path().is_file():
        return set()
    return set(_fetch(SQL_TABLES)["table_name"].to_list())


def period_bounds() -> tuple[date, date] | None:
    """First and last UTC day of the reporting period, or None if the mart is empty."""
    start, end = _fetch(SQL_PERIOD).row(0)
    if start is None or end is None:
        return None
    return start, end


def filter_options() -> dict[str, list[str]]:
    """The values each global filter offers: {"region": [...], "technology": [...], ...}."""
    frame = _fetch(SQL_FILTER_OPTIONS)
    options: dict[str, list[str]] = {"region": [], "technology": [], "segment": []}
    for name, value in frame.iter_rows():
        options[name].append(value)
    return options


# --- orders and provisioning (srv_orders, srv_order_timeline) --------------------------------

# An order matches the global filters through its customer (region, segment) and the customer's
# home cell (technology); a NULL list means "all", so unknown customers count when unfiltered.
_ORDER_SLICE = """
    ($regions is null or list_contains($regions, region))
    and ($technologies is null or list_contains($technologies, technology))
    and ($segments is null or list_contains($segments, segment))
    and ($channels is null or list_contains($channels, channel))
"""

SQL_ORDER_KPIS = f"""
select
    count(*) filter (where is_completed and completed_date between $start and $end)::bigint
        as orders_completed,
    round(
        count(*) filter (where is_completed and completed_date between $start and $end)::double
        / $days, 4
    ) as order_throughput_per_day,
    round(
        100.0 * count(*) filter (where is_on_time and completed_date between $start and $end)
        / nullif(count(*) filter (where is_completed and completed_date between $start and $end),
                 0),
        4
    ) as on_time_delivery_pct,
    round(
        median(cycle_time_hours) filter (
            where is_completed and completed_date between $start and $end
        ),
        4
    ) as order_cycle_time_median_hours,
    count(*) filter (where created_date between $start and $end)::bigint as orders_created,
    count(*) filter (where is_fallout and created_date between $start and $end)::bigint
        as orders_fallout,
    round(
        100.0 * count(*) filter (where is_fallout and created_date between $start and $end)
        / nullif(count(*) filter (where created_date between $start and $end), 0),
        4
    ) as order_fallout_pct
from srv_orders
where {_ORDER_SLICE}
"""

# Fallout is dated by the order's creation day, like order_fallout_pct.
SQL_ORDER_FALLOUT = f"""
select fallout_reason, fallout_step, count(*)::bigint as orders
from srv_orders
where is_fallout and created_date between $start and $end and {_ORDER_SLICE}
group by all
order by orders desc, fallout_reason, fallout_step
"""

SQL_ORDER_DAILY = f"""
with days as (
    select date_day::date as date_day from dim_date where date_day between $start and $end
),
completed as (
    select completed_date as date_day, channel,
           count(*)::bigint as orders_completed,
           count(*) filter (where is_on_time)::bigint as orders_on_time
    from srv_orders
    where is_completed and completed_date between $start and $end and {_ORDER_SLICE}
    group by all
)
select days.date_day, completed.channel,
       coalesce(completed.orders_completed, 0)::bigint as orders_completed,
       coalesce(completed.orders_on_time, 0)::bigint as orders_on_time
from days left join completed using (date_day)
order by days.date_day, completed.channel
"""

SQL_ORDER_CHANNELS = f"""
select
    channel,
    count(*) filter (where created_date between $start and $end)::bigint as orders_created,
    count(*) filter (where is_completed and completed_date between $start and $end)::bigint
        as orders_completed,
    count(*) filter (where is_on_time and completed_date between $start and $end)::bigint
        as orders_on_time,
    round(100.0 * orders_on_time / nullif(orders_completed, 0), 2) as on_time_pct,
    round(orders_completed::double / $days, 2) as completed_per_day,
    round(median(cycle_time_hours) filter (
        where is_completed and completed_date between $start and $end), 2)
        as median_cycle_time_hours
from srv_orders
where {_ORDER_SLICE}
group by channel
having orders_created > 0 or orders_completed > 0
order by orders_completed desc, channel
"""

SQL_ORDER_CYCLE_TIMES = f"""
select order_id, channel, completed_date, round(cycle_time_hours, 2) as cycle_time_hours
from srv_orders
where is_completed and completed_date between $start and $end and {_ORDER_SLICE}
order by completed_date, order_id
"""

# Orders still open in the snapshot (not completed, cancelled, rejected or failed), aged at the
# period's last day; "jeopardy" compares their requested completion date with that day.
SQL_ORDER_BACKLOG = f"""
with open_orders as (
    select
        order_id, channel, state, created_at, requested_completion_at, region, segment,
        date_diff('hour', created_at, ($end + 1)::timestamptz) / 24.0 as age_days,
        date_diff('hour', ($end + 1)::timestamptz, requested_completion_at) / 24.0
            as days_to_due
    from srv_orders
    where state not in ('completed', 'cancelled', 'rejected', 'failed')
      and created_date <= $end and {_ORDER_SLICE}
)
select
    order_id, channel, state, created_at, requested_completion_at, region, segment,
    round(age_days, 1) as age_days,
    case
        when age_days < 1 then '< 1 day'
        when age_days < 3 then '1–3 days'
        when age_days < 7 then '3–7 days'
        when age_days < 14 then '7–14 days'
        else '14+ days'
    end as age_band,
    case
        when requested_completion_at is null then 'no due date'
        when days_to_due < 0 then 'overdue'
        when days_to_due < 2 then 'due within 2 days'
        else 'on track'
    end as jeopardy
from open_orders
order by age_days desc, order_id
"""

GO_LIVE_TABLE = "srv_automation_go_live"
SQL_GO_LIVE = f"""
select go_live_date::date as go_live_date from {GO_LIVE_TABLE} where workflow = $workflow
"""

SQL_ORDER_TIMELINE = """
select event_time_utc, event_kind, activity, resource, resource_type, task_category
from srv_order_timeline
where order_id = $order_id
order by event_time_utc, event_kind desc
"""

SQL_ORDER_HEADER = """
select order_id, customer_id, channel, state, created_at, requested_completion_at, completed_at,
       round(cycle_time_hours, 2) as cycle_time_hours, is_on_time, region, segment, technology
from srv_orders
where order_id = $order_id
"""

SQL_SLOWEST_ORDERS = f"""
select order_id
from srv_orders
where is_completed and completed_date between $start and $end and {_ORDER_SLICE}
order by cycle_time_hours desc, order_id
limit 1
"""


def _order_params(filters: Any, channels: tuple[str, ...]) -> dict[str, Any]:
    return filters.params() | {"channels": list(channels) or None}


def go_live(workflow: str) -> date | None:
    """The automation go-live day of `workflow`, when the snapshot has the reference table."""
    if GO_LIVE_TABLE not in table_names():
        return None
    rows = _fetch(SQL_GO_LIVE, {"workflow": workflow})
    return rows["go_live_date"][0] if rows.height else None


def order_kpis(filters: Any, channels: tuple[str, ...] = ()) -> dict[str, Any]:
    """Completed, throughput, on-time %, median cycle time and created orders for the filters."""
    params = _order_params(filters, channels) | {"days": filters.days}
    return _fetch(SQL_ORDER_KPIS, params).to_dicts()[0]


def order_fallout(filters: Any, channels: tuple[str, ...] = ()) -> pl.DataFrame:
    """Fallout orders created in the period per reason (held/failed) and step they fell out of."""
    return _fetch(SQL_ORDER_FALLOUT, _order_params(filters, channels))


def order_daily(filters: Any, channels: tuple[str, ...] = ()) -> pl.DataFrame:
    """Per completion day (every day of the period) and channel: completed and on-time orders."""
    return _fetch(SQL_ORDER_DAILY, _order_params(filters, channels))


def order_channels(filters: Any) -> pl.DataFrame:
    """One row per channel: created, completed, on time, on-time %, per day, median cycle time."""
    return _fetch(SQL_ORDER_CHANNELS, _order_params(filters, ()) | {"days": filters.days})


def order_cycle_times(filters: Any, channels: tuple[str, ...] = ()) -> pl.DataFrame:
    """Completed orders of the period: order_id, channel, completed_date, cycle_time_hours."""
    return _fetch(SQL_ORDER_CYCLE_TIMES, _order_params(filters, channels))


def order_backlog(filters: Any, channels: tuple[str, ...] = ()) -> pl.DataFrame:
    """Open orders with their age band and jeopardy at the period's last day."""
    return _fetch(SQL_ORDER_BACKLOG, _order_params(filters, channels))


def order_timeline(order_id: str) -> pl.DataFrame:
    """One order's events: process steps (with who did them) and state changes, in time order."""
    return _fetch(SQL_ORDER_TIMELINE, {"order_id": order_id})


def order_header(order_id: str) -> dict[str, Any] | None:
    """One order's row of srv_orders, or None if there is no such order."""
    rows = _fetch(SQL_ORDER_HEADER, {"order_id": order_id}).to_dicts()
    return rows[0] if rows else None


def slowest_order(filters: Any, channels: tuple[str, ...] = ()) -> str | None:
    """The completed order with the longest cycle time for the filters (the drill's default)."""
    rows = _fetch(SQL_SLOWEST_ORDERS, _order_params(filters, channels))
    return rows["order_id"][0] if rows.height else None


# --- data health ------------------------------------------------------------------------------

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
    return _fetch(SQL_SOURCE_FRESHNESS)


def ledger_totals() -> dict[str, Any]:
    """Files and rows over the whole ingest ledger."""
    return _fetch(SQL_LEDGER_TOTALS).to_dicts()[0]


def ledger_files() -> pl.DataFrame:
    """One row per source file (totals, reason, its per-dataset breakdown as text), files with
    rejects first."""
    return _fetch(SQL_LEDGER_FILES)


def quarantine_reasons() -> pl.DataFrame:
    """Quarantined rows per reason and format, most frequent first."""
    return _fetch(SQL_QUARANTINE_REASONS)


def gx_summary() -> pl.DataFrame:
    """Per dataset: expectations run, passed, failed as errors and as warnings."""
    return _fetch(SQL_GX_SUMMARY)


def gx_results() -> pl.DataFrame:
    """Every latest expectation and freshness result, failures first."""
    return _fetch(SQL_GX_RESULTS)


STALE_TABLES = frozenset({"stale_models"})


def blocked_datasets() -> pl.DataFrame:
    """Per blocked dataset: the check, its reason, rows flagged, how many models it held back
    and which marts (empty when nothing is blocked, or the snapshot predates `stale_models`)."""
    return _fetch(SQL_BLOCKED_DATASETS)


def stale_models() -> pl.DataFrame:
    """Every model a blocked dataset held back: the last good version, or empty."""
    return _fetch(SQL_STALE_MODELS)


def dbt_test_summary() -> pl.DataFrame:
    """dbt tests of the latest build per status."""
    return _fetch(SQL_DBT_TEST_SUMMARY)


def dbt_tests() -> pl.DataFrame:
    """Every dbt test of the latest build, failures first."""
    return _fetch(SQL_DBT_TESTS)


# --- autonomy (kpi_autonomy_monthly, kpi_autonomy_category_monthly, srv_process_activity_daily) --

AUTONOMY_TABLES = FRAME_TABLES | {
    "kpi_autonomy_monthly",
    "kpi_autonomy_category_monthly",
    "srv_process_activity_daily",
}

# Monthly marts follow the period by month: every month with at least one day in it.
_MONTHS_IN_PERIOD = "month_start_date between date_trunc('month', $start) and $end"

SQL_AUTONOMY_MONTHLY = f"""
select workflow, month_start_date, month_label, autonomy_level, autonomy_score,
       role_execution, role_awareness, role_analysis, role_decision, role_intent, tasks_scored
from kpi_autonomy_monthly
where {_MONTHS_IN_PERIOD}
order by workflow, month_start_date
"""

SQL_AUTONOMY_CATEGORIES = f"""
select workflow, month_start_date, task_category, category_order, tasks_scored,
       round(system_task_share, 4) as system_task_share,
       round(mean_task_score, 4) as mean_task_score, role
from kpi_autonomy_category_monthly
where {_MONTHS_IN_PERIOD}
order by workflow, category_order, month_start_date
"""

SQL_HUMAN_TASKS = """
with tasks as (
    select workflow, activity, task_category,
           sum(tasks) filter (where resource_type = 'human')::bigint as human_tasks,
           sum(tasks) filter (where resource_type = 'human+system')::bigint as assisted_tasks,
           sum(tasks)::bigint as all_tasks
    from srv_process_activity_daily
    where date_day between $start and $end
    group by all
)
select workflow, activity, task_category, coalesce(human_tasks, 0) as human_tasks,
       coalesce(assisted_tasks, 0) as assisted_tasks, all_tasks,
       round(100.0 * coalesce(human_tasks, 0) / all_tasks, 1) as human_share_pct
from tasks
where human_tasks > 0
order by human_tasks desc, workflow, activity
"""


def autonomy_monthly(filters: Any) -> pl.DataFrame:
    """Level, decimal score and the five roles per workflow and month of the period."""
    return _fetch(SQL_AUTONOMY_MONTHLY, filters.params())


def autonomy_categories(filters: Any) -> pl.DataFrame:
    """Each task category's role (and system share) per workflow and month of the period."""
    return _fetch(SQL_AUTONOMY_CATEGORIES, filters.params())


def human_tasks(filters: Any) -> pl.DataFrame:
    """Activities still performed by people alone in the period, most frequent first."""
    return _fetch(SQL_HUMAN_TASKS, filters.params())


# --- ROI (kpi_roi_monthly, kpi_roi_lever_daily, kpi_roi_costs_monthly, srv_roi_assumptions) ---

ROI_TABLES = FRAME_TABLES | {
    "kpi_roi_monthly",
    "kpi_roi_lever_daily",
    "kpi_roi_costs_monthly",
    "srv_roi_assumptions",
}

SQL_ROI_MONTHLY = f"""
select month_start_date, month_label, labour_benefit, fallout_benefit, truck_rolls_benefit,
       churn_benefit, leakage_benefit, benefit, cost, cumulative_benefit, cumulative_cost,
       cumulative_roi_pct, is_payback_month
from kpi_roi_monthly
where {_MONTHS_IN_PERIOD}
order by month_start_date
"""

# Avoided units per month and lever (hours, fallouts, truck rolls, churners, leaking amount):
# what the what-if panel prices with edited assumptions.
SQL_ROI_AVOIDED = f"""
select month_start_date, strftime(month_start_date, '%Y-%m') as month_label, lever,
       sum(avoided_outcome)::double as avoided, sum(benefit)::double as benefit
from kpi_roi_lever_daily
where {_MONTHS_IN_PERIOD}
group by all
order by month_start_date, lever
"""

SQL_ROI_ASSUMPTIONS = """
select assumption, value, unit, description from srv_roi_assumptions order by assumption
"""


def roi_monthly(filters: Any) -> pl.DataFrame:
    """Benefit per lever, cost and cumulative curves per month of the period."""
    return _fetch(SQL_ROI_MONTHLY, filters.params())


def roi_avoided(filters: Any) -> pl.DataFrame:
    """Avoided units and benefit per month and lever, for the what-if recompute."""
    return _fetch(SQL_ROI_AVOIDED, filters.params())


def roi_assumptions() -> pl.DataFrame:
    """The ROI money assumptions: assumption, value, unit, description."""
    return _fetch(SQL_ROI_ASSUMPTIONS)


# --- headline extras for the executive overview (kpi_nps_daily, fct_revenue_leakage) ----------

SQL_NPS = """
select
    round(100.0 * (sum(promoters) - sum(detractors)) / nullif(sum(responses), 0), 4) as nps,
    sum(responses)::bigint as responses
from kpi_nps_daily
where channel = 'all' and date_day between $start and $end
"""

SQL_NPS_DAILY = """
select date_day, nps, responses from kpi_nps_daily
where channel = 'all' and date_day between $start and $end
order by date_day
"""

SQL_LEAKAGE = """
select count(distinct product_id)::bigint as services, round(sum(leakage_amount), 4) as amount
from fct_revenue_leakage
where billing_month between date_trunc('month', $start) and $end
"""

SQL_LEAKAGE_MONTHLY = """
select billing_month, sum(leakage_amount) as amount
from fct_revenue_leakage
where billing_month between date_trunc('month', $start) and $end
group by all
order by billing_month
"""


def nps(filters: Any) -> dict[str, Any]:
    """NPS over the responses of the period (all survey channels)."""
    return _fetch(SQL_NPS, filters.params()).to_dicts()[0]


def nps_daily(filters: Any) -> pl.DataFrame:
    """NPS per response day (all channels)."""
    return _fetch(SQL_NPS_DAILY, filters.params())


def leakage(filters: Any) -> dict[str, Any]:
    """Leaking services and their amount over the billing months of the period."""
    return _fetch(SQL_LEAKAGE, filters.params()).to_dicts()[0]


def leakage_monthly(filters: Any) -> pl.DataFrame:
    """Leakage amount per billing month of the period."""
    return _fetch(SQL_LEAKAGE_MONTHLY, filters.params())


# --- service quality and experience ---------------------------------------------------------

SERVICE_TABLES = FRAME_TABLES | {
    "fct_cell_quality_daily",
    "fct_cell_quality_hourly",
    "srv_incident_impact",
    "srv_cell_alarms",
    "fct_trouble_tickets",
    "srv_experience_band_slices",
    "srv_experience_daily",
    "kpi_revenue_at_risk",
}

SQL_REVENUE_AT_RISK = """
select revenue_at_risk, churn_uplift_pp, customers_at_risk, customers_exposed, customer_value,
       churn_rate_exposed_pct, churn_rate_unexposed_pct
from kpi_revenue_at_risk
"""

# Cells follow the region and technology filters (segment is a customer attribute).
_CELL_SLICE = """
    ($regions is null or list_contains($regions, region))
    and ($technologies is null or list_contains($technologies, technology))
"""

SQL_CELL_MAP = f"""
with quality as (
    select cell_id,
           sum(periods_impaired)::bigint as periods_impaired,
           sum(periods_reported)::bigint as periods_reported,
           round(avg(accessibility_pct), 2) as accessibility_pct,
           round(avg(availability_pct), 2) as availability_pct
    from fct_cell_quality_daily
    where date_day between $start and $end
    group by cell_id
),
incidents as (
    select cell_id, count(*)::bigint as incidents, sum(revenue_at_risk) as revenue_at_risk
    from srv_incident_impact
    where start_date between $start and $end
    group by cell_id
)
select cells.cell_id, cells.site_id, cells.region, cells.technology, cells.vendor,
       cells.latitude, cells.longitude,
       round(100.0 * quality.periods_impaired / nullif(quality.periods_reported, 0), 2)
           as impaired_pct,
       quality.accessibility_pct, quality.availability_pct,
       coalesce(incidents.incidents, 0) as incidents,
       coalesce(incidents.revenue_at_risk, 0) as revenue_at_risk
from dim_cell cells
left join quality using (cell_id)
left join incidents using (cell_id)
where {_CELL_SLICE}
order by impaired_pct desc nulls last, cells.cell_id
"""

SQL_INCIDENTS = f"""
select incident_id, cell_id, region, technology, started_at, ended_at,
       round(duration_minutes, 1) as duration_minutes, alarm_conditions, degraded_periods,
       round(mttd_minutes, 1) as mttd_minutes, tickets, customers_affected,
       home_customers_affected, revenue_at_risk, is_quality_incident
from srv_incident_impact
where start_date between $start and $end and {_CELL_SLICE}
order by revenue_at_risk desc, customers_affected desc, started_at
"""

SQL_INCIDENT_TOTALS = f"""
select count(*)::bigint as incidents,
       count(*) filter (where is_quality_incident)::bigint as quality_incidents,
       coalesce(sum(customers_affected), 0)::bigint as customers_affected,
       round(coalesce(sum(revenue_at_risk), 0), 2) as revenue_at_risk,
       max(churn_uplift_pp) as churn_uplift_pp,
       max(customer_value) as customer_value
from srv_incident_impact
where start_date between $start and $end and {_CELL_SLICE}
"""

# Complaint rate, NPS and churn per experienced-quality band, summed over the slices of
# srv_experience_band_slices (customer region and segment, home cell's technology) that the
# filters select; the rates as kpi_experience_by_quality_band computes them. A customer's band
# is their worst over the whole reporting period: the period filter does not narrow it.
SQL_EXPERIENCE_BANDS = """
with slices as (
    select quality_band, band_order,
           sum(customers)::bigint as customers,
           sum(customers_with_complaint)::bigint as customers_with_complaint,
           sum(survey_responses)::bigint as survey_responses,
           sum(promoters)::bigint as promoters,
           sum(detractors)::bigint as detractors,
           sum(customers_active_at_start)::bigint as customers_active_at_start,
           sum(customers_churned)::bigint as customers_churned
    from srv_experience_band_slices
    where ($regions is null or list_contains($regions, region))
      and ($segments is null or list_contains($segments, segment))
      and ($technologies is null or list_contains($technologies, technology))
    group by quality_band, band_order
)
select quality_band, band_order, customers,
       round(100.0 * customers_with_complaint / customers, 4) as complaint_rate_pct,
       survey_responses,
       case when survey_responses > 0
            then round(100.0 * (promoters - detractors) / survey_responses, 4) end as nps,
       customers_active_at_start, customers_churned,
       case when customers_active_at_start > 0
            then round(100.0 * customers_churned / customers_active_at_start, 4) end
           as churn_rate_pct
from slices
order by band_order
"""

# Experienced quality vs complaints and scores per day, summed over the slices of
# srv_experience_daily (customer-days pre-summed per day, customer region and segment, and the
# technology of the customer's home cell) that the filters select.
SQL_EXPERIENCE_DAILY = """
select date_day,
       round(100.0 * sum(impaired_volume_mb) / nullif(sum(volume_mb), 0), 3)
           as experienced_impaired_pct,
       sum(complaints)::bigint as complaints,
       sum(survey_responses)::bigint as survey_responses,
       sum(churned)::bigint as churned
from srv_experience_daily
where date_day between $start and $end
  and ($regions is null or list_contains($regions, region))
  and ($segments is null or list_contains($segments, segment))
  and ($technologies is null or list_contains($technologies, technology))
group by date_day
order by date_day
"""

SQL_CELL_HOURLY = """
select hour_start_utc, accessibility_pct, retainability_pct, availability_pct,
       dl_user_throughput_kbps, is_degraded
from fct_cell_quality_hourly
where cell_id = $cell_id and date_day between $start and $end
order by hour_start_utc
"""

SQL_CELL_ALARMS = """
select alarm_condition, specific_problem, started_at, ended_at, raise_events
from srv_cell_alarms
where cell_id = $cell_id and started_at <= ($end + 1)::timestamptz
  and (ended_at is null or ended_at >= $start::timestamptz)
order by started_at
"""

SQL_CELL_TICKETS = """
select ticket_id, ticket_type, severity, status, created_at, resolved_at
from fct_trouble_tickets
where cell_id = $cell_id and created_at::date between $start and $end
order by created_at
"""


def revenue_at_risk() -> dict[str, Any]:
    """The period's revenue at risk, churn uplift and customers at risk (operator-wide)."""
    rows = _fetch(SQL_REVENUE_AT_RISK).to_dicts()
    return rows[0] if rows else {}


def cell_map(filters: Any) -> pl.DataFrame:
    """Cells with location, % of PM periods impaired (degraded or collapsed throughput),
    incidents and attributed revenue at risk in the period; most impaired first."""
    return _fetch(SQL_CELL_MAP, filters.params())


def incidents(filters: Any) -> pl.DataFrame:
    """Incidents started in the period on the selected cells, most revenue at risk first."""
    return _fetch(SQL_INCIDENTS, filters.params())


def incident_totals(filters: Any) -> dict[str, Any]:
    """Incidents, quality incidents, customers affected and revenue at risk for the filters."""
    return _fetch(SQL_INCIDENT_TOTALS, filters.params()).to_dicts()[0]


def experience_bands(filters: Any) -> pl.DataFrame:
    """Complaint rate, NPS and churn per experienced-quality band of the customers the region,
    technology and segment filters keep (bands over the whole reporting period)."""
    return _fetch(SQL_EXPERIENCE_BANDS, filters.params())


def experience_daily(filters: Any) -> pl.DataFrame:
    """Per day: usage-weighted degraded share customers experienced, complaints, surveys, churn."""
    return _fetch(SQL_EXPERIENCE_DAILY, filters.params())


def cell_hourly(cell_id: str, filters: Any) -> pl.DataFrame:
    """One cell's hourly KPIs in the period."""
    return _fetch(SQL_CELL_HOURLY, filters.params() | {"cell_id": cell_id})


def cell_alarms(cell_id: str, filters: Any) -> pl.DataFrame:
    """One cell's alarm episodes overlapping the period."""
    return _fetch(SQL_CELL_ALARMS, filters.params() | {"cell_id": cell_id})


def cell_tickets(cell_id: str, filters: Any) -> pl.DataFrame:
    """Trouble tickets raised on one cell in the period."""
    return _fetch(SQL_CELL_TICKETS, filters.params() | {"cell_id": cell_id})
