"""Every SQL the dashboards run against the serving snapshot, and the one cached runner.

Rules: user input only ever reaches SQL as a bound parameter (`$name`), never by string
formatting; each query opens its own short-lived read-only DuckDB connection, so the publisher can
swap the snapshot file at any moment (no connection is cached or held open between reruns).

Grain of the marts read here (see docs/data_contracts.md and each mart's yml):
- `kpi_headline`: one row, the platform's headline KPIs over the whole period;
- `dim_date`: one row per UTC day of the reporting period (the period the filters offer);
- `dim_cell`, `dim_customer`: one row per cell / customer (the filters' regions, technologies
  and segments);
- `fct_orders_daily`: one row per UTC day (`date_day`) of the reporting period and `channel`
  (a date spine, so days without orders are present with zeros); `orders_created` by creation
  day, `orders_completed` and `orders_on_time` by completion day;
- `srv_orders`: one row per product order with its customer's region, segment and home-cell
  technology; `srv_order_timeline`: one row per event of an order;
- `ingest_ledger`, `ingest_quarantine_reasons`, `fct_data_quality_results`,
  `dbt_test_results`: the pipeline's own health (Data health page).

Global filters (`dashboards/filters.py`) reach SQL as `$start`, `$end` (dates) and `$regions`,
`$technologies`, `$segments` (lists, or NULL for all).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import duckdb
import polars as pl
import streamlit as st

from dashboards import data_source

CACHE_TTL_S = 60
# Every page needs the reporting period and the dimensions the global filters come from.
FRAME_TABLES = frozenset({"dim_date", "dim_cell", "dim_customer"})
REQUIRED_TABLES = FRAME_TABLES | {"kpi_headline", "fct_orders_daily"}
ORDERS_TABLES = FRAME_TABLES | {"srv_orders", "srv_order_timeline"}
HEALTH_TABLES = frozenset(
    {"ingest_ledger", "ingest_quarantine_reasons", "fct_data_quality_results", "dbt_test_results"}
)


@dataclass(frozen=True)
class Filters:
    """The overview's filters: an inclusive UTC date range and channels (empty = all)."""

    start: date
    end: date
    channels: tuple[str, ...] = ()

    @property
    def days(self) -> int:
        """Days in the period, both ends included."""
        return (self.end - self.start).days + 1

    def params(self) -> dict[str, Any]:
        """Bound parameters shared by the filtered queries."""
        return {
            "start": self.start,
            "end": self.end,
            "channels": list(self.channels) or None,
        }


# --- SQL -------------------------------------------------------------------------------------

SQL_TABLES = """
select table_name
from information_schema.tables
where table_schema = 'main'
order by table_name
"""

SQL_HEADLINE = """
select
    orders_completed::bigint as orders_completed,
    order_throughput_per_day::double as order_throughput_per_day,
    on_time_delivery_pct::double as on_time_delivery_pct
from kpi_headline
"""

# dim_date is the reporting period's date spine: its first and last day are the period
# kpi_headline divides by.
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

SQL_CHANNELS = """
select distinct channel
from fct_orders_daily
where channel is not null
order by channel
"""

_FILTERED_DAILY = """
filtered as (
    select *
    from fct_orders_daily
    where date_day between $start and $end
      and ($channels is null or list_contains($channels, channel))
)
"""

SQL_KPIS = f"""
with {_FILTERED_DAILY}
select
    coalesce(sum(orders_completed), 0)::bigint as orders_completed,
    round(coalesce(sum(orders_completed), 0)::double / $days, 4) as order_throughput_per_day,
    round(100.0 * sum(orders_on_time) / nullif(sum(orders_completed), 0), 4)
        as on_time_delivery_pct
from filtered
"""

SQL_DAILY_BY_CHANNEL = f"""
with {_FILTERED_DAILY}
select
    date_day::date as date_day,
    channel,
    sum(orders_completed)::bigint as orders_completed
from filtered
group by all
order by date_day, channel
"""

SQL_DAILY_ON_TIME = f"""
with {_FILTERED_DAILY}
select
    date_day::date as date_day,
    sum(orders_completed)::bigint as orders_completed,
    round(100.0 * sum(orders_on_time) / nullif(sum(orders_completed), 0), 2) as on_time_pct
from filtered
group by all
order by date_day
"""

SQL_CHANNEL_SUMMARY = f"""
with {_FILTERED_DAILY}
select
    channel,
    sum(orders_created)::bigint as orders_created,
    sum(orders_completed)::bigint as orders_completed,
    sum(orders_on_time)::bigint as orders_on_time,
    round(100.0 * sum(orders_on_time) / nullif(sum(orders_completed), 0), 2) as on_time_pct,
    round(sum(orders_completed)::double / $days, 2) as completed_per_day
from filtered
group by all
order by orders_completed desc, channel
"""


# --- the runner -----------------------------------------------------------------------------


@st.cache_data(ttl=CACHE_TTL_S, show_spinner=False)
def run_query(
    path: str, version: int, sql: str, params: dict[str, Any] | None = None
) -> pl.DataFrame:
    """Run one query on the snapshot at `path` over a fresh read-only connection.

    `version` (the snapshot's mtime) is only part of the cache key: a swapped snapshot is a new
    key, so it is read at once. Raises `duckdb.IOException` if the file is missing or locked.
    """
    with duckdb.connect(path, read_only=True) as con:
        return con.execute(sql, params or {}).pl()


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


def missing_tables() -> set[str]:
    """The tables the overview needs that the snapshot lacks (all of them if it is missing)."""
    return set(REQUIRED_TABLES - table_names())


def headline() -> dict[str, Any]:
    """The `kpi_headline` row: orders_completed, order_throughput_per_day, on_time_delivery_pct."""
    rows = _fetch(SQL_HEADLINE).to_dicts()
    return rows[0] if rows else {}


def period_bounds() -> tuple[date, date] | None:
    """First and last UTC day of the reporting period, or None if the mart is empty."""
    start, end = _fetch(SQL_PERIOD).row(0)
    if start is None or end is None:
        return None
    return start, end


def channels() -> list[str]:
    """Order channels present in `fct_orders_daily`, sorted."""
    return _fetch(SQL_CHANNELS)["channel"].to_list()


def kpis(filters: Filters) -> dict[str, Any]:
    """Headline KPIs recomputed for the filters, with the same definitions as `kpi_headline`.

    Throughput divides by every day in the selected period (days without orders count).
    """
    params = filters.params() | {"days": filters.days}
    return _fetch(SQL_KPIS, params).to_dicts()[0]


def daily_by_channel(filters: Filters) -> pl.DataFrame:
    """Completed orders per completion day and channel: date_day, channel, orders_completed."""
    return _fetch(SQL_DAILY_BY_CHANNEL, filters.params())


def daily_on_time(filters: Filters) -> pl.DataFrame:
    """Per completion day over the selected channels: date_day, orders_completed, on_time_pct."""
    return _fetch(SQL_DAILY_ON_TIME, filters.params())


def channel_summary(filters: Filters) -> pl.DataFrame:
    """One row per channel for the filters: created, completed, on time, on-time %, per day."""
    params = filters.params() | {"days": filters.days}
    return _fetch(SQL_CHANNEL_SUMMARY, params)


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
with ledger as (
    select dataset, format,
           count(distinct file_key)::bigint as files,
           sum(rows_in)::bigint as rows_in,
           sum(rows_loaded)::bigint as rows_loaded,
           sum(rows_quarantined)::bigint as rows_quarantined,
           max(ingested_at) as last_ingested_at
    from ingest_ledger
    group by all
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
select count(distinct file_key)::bigint as files,
       coalesce(sum(rows_in), 0)::bigint as rows_in,
       coalesce(sum(rows_loaded), 0)::bigint as rows_loaded,
       coalesce(sum(rows_quarantined), 0)::bigint as rows_quarantined,
       count(distinct file_key) filter (where status <> 'loaded')::bigint as files_with_rejects
from ingest_ledger
"""

SQL_LEDGER_FILES = """
select file_path, dataset, format, status, rows_in, rows_loaded, rows_quarantined, reason,
       size_bytes, ingested_at
from ingest_ledger
order by rows_quarantined desc, file_path, dataset
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
    """Every ledger row (file × dataset), files with rejects first."""
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


def dbt_test_summary() -> pl.DataFrame:
    """dbt tests of the latest build per status."""
    return _fetch(SQL_DBT_TEST_SUMMARY)


def dbt_tests() -> pl.DataFrame:
    """Every dbt test of the latest build, failures first."""
    return _fetch(SQL_DBT_TESTS)
