"""Daily partitions: one per UTC day, shared by every bronze asset whose rows carry a day.

A run for a day (or a range of days) ingests only the landing files that touch those days
(`orchestration.ingest.days`) and passes the days to dbt as the vars `from_day` / `to_day`, so
per-day incremental models rebuild exactly those days. A run without a partition (`itot build`)
ingests everything; dbt's incremental models rebuild the days whose bronze changed since the last
such build and every new day (`orchestration.defs.dbt.changed_days`), the other models everything.

The first day is `ITOT_FIRST_DAY` (default 2020-01-01); the last is today (UTC).
"""

from __future__ import annotations

import json
import os
import re

import dagster as dg

FIRST_DAY_ENV = "ITOT_FIRST_DAY"
DEFAULT_FIRST_DAY = "2020-01-01"
PARTITION_TAG = "dagster/partition"
RANGE_START_TAG = "dagster/asset_partition_range_start"
RANGE_END_TAG = "dagster/asset_partition_range_end"
DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def first_day() -> str:
    return os.environ.get(FIRST_DAY_ENV) or DEFAULT_FIRST_DAY


DAILY = dg.DailyPartitionsDefinition(start_date=first_day(), end_offset=1, timezone="UTC")


def partition_days(context: dg.AssetExecutionContext) -> set[str] | None:
    """The days a run materialises (a key or a range), or None for an unpartitioned run."""
    if not (context.has_partition_key or context.has_partition_key_range):
        return None
    return set(context.partition_keys)


def day_range_of_run(tags: dict[str, str]) -> tuple[str, str] | None:
    """(from_day, to_day) of a partitioned run, from its tags; None for a run of everything."""
    if tags.get(PARTITION_TAG):
        days = tags[PARTITION_TAG], tags[PARTITION_TAG]
    elif tags.get(RANGE_START_TAG) and tags.get(RANGE_END_TAG):
        days = tags[RANGE_START_TAG], tags[RANGE_END_TAG]
    else:
        return None
    for day in days:
        if not DAY.match(day):
            raise ValueError(f"partition {day!r} is not a day (YYYY-MM-DD)")
    return days


def dbt_day_vars(tags: dict[str, str]) -> list[str]:
    """`--vars` arguments for dbt: the run's day range, or none for a run of everything."""
    return day_vars(day_range_of_run(tags))


def day_vars(days: tuple[str, str] | None) -> list[str]:
    """`--vars` arguments for dbt's per-day incremental models: from_day/to_day, or none."""
    if days is None:
        return []
    return ["--vars", json.dumps({"from_day": days[0], "to_day": days[1]})]
