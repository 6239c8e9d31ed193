"""Every SQL the dashboards run against the serving snapshot, and the one cached runner.

Rules: user input only ever reaches SQL as a bound parameter (`$name`), never by string
formatting; each query opens its own short-lived read-only DuckDB connection, so the publisher can
swap the snapshot file at any moment (no connection is cached or held open between reruns).

Grain of the marts read here (see docs/data_contracts.md):
- `kpi_headline`: one row, the platform's headline KPIs over the whole period;
- `fct_orders_daily`: one row per UTC day (`date_day`) of the reporting period and `channel`
  (a date spine, so days without orders are present with zeros); `orders_created` by creation
  day, `orders_completed` and `orders_on_time` by completion day.
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
REQUIRED_TABLES = frozenset({"kpi_headline", "fct_orders_daily"})


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

# fct_orders_daily is built on the reporting period's date spine, so its first and last day are
# the period kpi_headline divides by.
SQL_PERIOD = """
select min(date_day)::date as period_start, max(date_day)::date as period_end
from fct_orders_daily
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
    return run_query(str(path), data_source.snapshot_version(path), sql, params)


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
