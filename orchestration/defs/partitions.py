"""Daily partitions: one per UTC day, shared by every bronze asset whose rows carry a day.

A run for a day (or a range of days) ingests only the landing files that touch those days
(`orchestration.ingest.days`) and passes the days to dbt as the vars `from_day` / `to_day`, so
per-day incremental models rebuild exactly those days. A run without a partition (`itot build`)
ingests everything; dbt's incremental models rebuild the days whose bronze changed since the last
such build and every new day (`orchestration.transform.changed_days`), the other models everything.

The first day is the first day the data can have (`first_day`): `ITOT_FIRST_DAY` when set, else
the earliest day the data folder's bronze holds, else the demo operator's first day; the last is
today (UTC). The Definitions are loaded by `itot build` and by the UI (`itot serve`), each with
`ITOT_DATA` set, so both read the same bronze.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Mapping
from pathlib import Path

import dagster as dg

from orchestration import paths
from orchestration.ingest.days import DAY, earliest_bronze_day

FIRST_DAY_ENV = "ITOT_FIRST_DAY"
# The first day of the committed demo operator (seeds/truth.json's period start; a unit test
# keeps the two equal): the first partition before anything is built.
DEMO_FIRST_DAY = "2026-01-01"
PARTITION_TAG = "dagster/partition"
RANGE_START_TAG = "dagster/asset_partition_range_start"
RANGE_END_TAG = "dagster/asset_partition_range_end"
BACKFILL_TAG = "dagster/backfill"


def first_day(data_dir: Path | None = None) -> str:
    """The first daily partition (YYYY-MM-DD, UTC): `ITOT_FIRST_DAY` when set; else the earliest
    day in the bronze of `data_dir` (default `$ITOT_DATA`), the first day the built data has;
    else, before any build, the demo operator's first day."""
    configured = os.environ.get(FIRST_DAY_ENV, "").strip()
    if configured:
        if not DAY.match(configured):
            raise ValueError(f"{FIRST_DAY_ENV}={configured!r} is not a day (YYYY-MM-DD)")
        return configured
    return earliest_bronze_day(data_dir or paths.data_dir()) or DEMO_FIRST_DAY


FIRST_DAY = first_day()
DAILY = dg.DailyPartitionsDefinition(start_date=FIRST_DAY, end_offset=1, timezone="UTC")


def split_at_first_day(days: list[str], first: str) -> tuple[list[str], list[str]]:
    """(days that are partitions, days before the first partition), each in the given order.

    Dagster refuses a run request for a key outside the partitions, so a day before `first`
    (late data older than anything built) is caught by a run of everything instead."""
    return [d for d in days if d >= first], [d for d in days if d < first]


def partition_days(context: dg.AssetExecutionContext) -> set[str] | None:
    """The days a run materialises (a key or a range), or None for an unpartitioned run."""
    if not (context.has_partition_key or context.has_partition_key_range):
        return None
    return set(context.partition_keys)


def unrecorded_days(written: list[str], run_days: set[str] | None) -> list[str]:
    """The day partitions a bronze asset wrote that Dagster does not record by itself, sorted:
    every day of a run without partitions (`itot build`), else the days outside the run's own
    (a file touching a run's day is ingested whole, so it can rewrite a neighbouring day).
    `written` may hold `static`/`unknown`: they are no partitions."""
    days = {day for day in written if DAY.match(day)}
    return sorted(days - run_days if run_days is not None else days)


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


def day_span(keys: Iterable[str]) -> tuple[str, str] | None:
    """(first, last) of some day partition keys; None for none."""
    days = sorted(set(keys))
    for day in days:
        if not DAY.match(day):
            raise ValueError(f"partition {day!r} is not a day (YYYY-MM-DD)")
    return (days[0], days[-1]) if days else None


def backfill_days(instance: dg.DagsterInstance, tags: Mapping[str, str]) -> tuple[str, str] | None:
    """(first, last) day a run's backfill targets, or None (no backfill, or no day in it).

    A backfill launched from the UI runs the day partitions of the bronze assets in one run
    (`BackfillPolicy.single_run()`, with range tags) and the unpartitioned assets downstream
    (dbt, the snapshot) in a later run that carries only the backfill's id: that run finds its
    days here."""
    backfill_id = tags.get(BACKFILL_TAG)
    backfill = instance.get_backfill(backfill_id) if backfill_id else None
    data = backfill.asset_backfill_data if backfill else None
    if data is None:
        return None
    subsets = data.target_subset.partitions_subsets_by_asset_key.values()
    return day_span(key for subset in subsets for key in subset.get_partition_keys())


def run_days(instance: dg.DagsterInstance, tags: Mapping[str, str]) -> tuple[str, str] | None:
    """The days a run rebuilds: its own partitions, else its backfill's; None for everything."""
    return day_range_of_run(tags) or backfill_days(instance, tags)


def dbt_day_vars(tags: dict[str, str]) -> list[str]:
    """`--vars` arguments for dbt: the run's day range, or none for a run of everything."""
    return day_vars(day_range_of_run(tags))


def day_vars(days: tuple[str, str] | None) -> list[str]:
    """`--vars` arguments for dbt's per-day incremental models: from_day/to_day, or none."""
    if days is None:
        return []
    return ["--vars", json.dumps({"from_day": days[0], "to_day": days[1]})]
