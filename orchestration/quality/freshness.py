"""Freshness per source: has a source stopped delivering while the others go on?

Two lags per dataset, in hours:
- event lag: the landing zone's newest record (over every event source) minus the dataset's
  newest record (its EVENT_TIME column). Alarms that stop two days before PM does show here.
- arrival lag: the newest landing file (any source) minus the dataset's newest landing file, by
  file modification time (`landing_files.parquet`, written by the landing scan). The ingest ledger
  restamps `ingested_at` on every run, so file arrival is read from the landing scan instead.

A dataset is stale (a warning, never blocking) when either lag exceeds its MAX_LAG_HOURS. The lag
is relative, not against the wall clock, so a replayed or simulated landing zone (the demo is
dated 2026) is judged on its own timeline.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import polars as pl

from orchestration import duckdb_config, paths

# The column whose newest value says when a source last delivered. Inventory and customers are
# snapshots without an event time: only their file arrival is judged.
EVENT_TIME: dict[str, str] = {
    "pm_counters": "period_end_utc",
    "alarm_events": "event_time_utc",
    "product_orders": "creation_at",
    "order_events": "event_time_utc",
    "trouble_tickets": "last_update_at",
    "customer_bills": "period_end",
    "billing_rates": "rate_date",
    "usage": "usage_date",
    "survey_responses": "response_date",
    "process_events": "event_time_utc",
    "service_orders": "creation_at",
    "ves_events": "event_time_utc",
    "tmf_events": "event_time_utc",
}

# Reference table: how far (hours) a source may lag the newest source before it is flagged.
# Streams (PM every 15 min, process log, order events) lag at most a day; sparse event sources
# (alarms, new orders, tickets: a few a day in a small network) get three days; daily usage and
# survey files two to four days; monthly bills and their rates a month and a few days.
MAX_LAG_HOURS: dict[str, float] = {
    "pm_counters": 6,
    "alarm_events": 72,
    "product_orders": 72,
    "order_events": 48,
    "trouble_tickets": 72,
    "customer_bills": 35 * 24,
    "billing_rates": 35 * 24,
    "usage": 48,
    "survey_responses": 96,
    "process_events": 48,
    "inventory_cells": 35 * 24,
    "customers": 35 * 24,
}
DEFAULT_MAX_LAG_HOURS = 72.0


@dataclass(frozen=True)
class Freshness:
    """How far one dataset lags the landing zone's newest record and newest file."""

    dataset: str
    newest_event: datetime | None
    newest_arrival: datetime | None
    event_lag_hours: float | None
    arrival_lag_hours: float | None
    max_lag_hours: float

    @property
    def stale(self) -> bool:
        return any(
            lag is not None and lag > self.max_lag_hours
            for lag in (self.event_lag_hours, self.arrival_lag_hours)
        )


def _hours(later: datetime | None, earlier: datetime | None) -> float | None:
    if later is None or earlier is None:
        return None
    return round((later - earlier).total_seconds() / 3600, 2)


def _as_utc(value: object) -> datetime | None:
    """A date or datetime as an aware UTC datetime (a date counts from its midnight)."""
    if value is None:
        return None
    if not isinstance(value, datetime):  # a date
        value = datetime(value.year, value.month, value.day)  # type: ignore[attr-defined]
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def assess_freshness(
    newest_events: Mapping[str, datetime | None],
    newest_arrivals: Mapping[str, datetime | None],
    datasets: Iterable[str],
    max_lag_hours: Mapping[str, float] = MAX_LAG_HOURS,
) -> list[Freshness]:
    """Lags of every dataset against the newest record and file over all datasets given."""
    events = {d: _as_utc(t) for d, t in newest_events.items()}
    arrivals = {d: _as_utc(t) for d, t in newest_arrivals.items()}
    newest_event = max((t for t in events.values() if t), default=None)
    newest_arrival = max((t for t in arrivals.values() if t), default=None)
    return [
        Freshness(
            dataset=d,
            newest_event=events.get(d),
            newest_arrival=arrivals.get(d),
            event_lag_hours=_hours(newest_event, events.get(d)),
            arrival_lag_hours=_hours(newest_arrival, arrivals.get(d)),
            max_lag_hours=float(max_lag_hours.get(d, DEFAULT_MAX_LAG_HOURS)),
        )
        for d in datasets
    ]


def reference_times(newest_events: Mapping[str, datetime | None]) -> dict[str, datetime | None]:
    """Per dataset, the newest record of the *other* sources: the "now" its times must not pass.

    Excluding the dataset itself means one record dated 2099 cannot move its own limit.
    """
    events = {d: _as_utc(t) for d, t in newest_events.items()}
    return {
        d: max((t for other, t in events.items() if other != d and t), default=None) for d in events
    }


def newest_event_times(data_dir: Path, datasets: Iterable[str]) -> dict[str, datetime | None]:
    """The newest EVENT_TIME value in each dataset's bronze (None if no rows or no event time)."""
    out: dict[str, datetime | None] = {}
    with duckdb_config.connect(data_dir) as con:
        for dataset in datasets:
            column = EVENT_TIME.get(dataset)
            files = sorted((paths.bronze_dir(data_dir) / dataset).glob("day=*/*.parquet"))
            if column is None or not files:
                out[dataset] = None
                continue
            listing = "[" + ", ".join("'" + str(f).replace("'", "''") + "'" for f in files) + "]"
            try:
                value = con.execute(
                    f'select max("{column}") from read_parquet({listing}, union_by_name=true, '
                    "hive_partitioning=false)"
                ).fetchone()[0]
            except duckdb.Error:  # the column is missing: the schema expectation reports it
                value = None
            out[dataset] = _as_utc(value)
    return out


def newest_arrivals(data_dir: Path) -> dict[str, datetime | None]:
    """Per dataset, the modification time of its newest landing file (from the landing scan)."""
    path = paths.landing_files_path(data_dir)
    if not path.exists():
        return {}
    frame = pl.read_parquet(path)
    if "modified_at" not in frame.columns:
        return {}
    newest = (
        frame.filter(pl.col("dataset").is_not_null())
        .group_by("dataset")
        .agg(pl.col("modified_at").max())
    )
    return {row["dataset"]: _as_utc(row["modified_at"]) for row in newest.iter_rows(named=True)}
