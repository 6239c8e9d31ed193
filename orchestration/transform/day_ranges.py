"""A first build of the per-day incremental models, a range of days at a time.

The per-day incremental models (radio KPIs per cell × 15 min and what is built on them) read
every PM counter row. Built in one statement over a large operator's month (236M counter rows on
the large profile), DuckDB holds the whole month's aggregate state and spills gigabytes under its
memory limit. Built a range of days at a time (dbt vars `from_day`/`to_day`, the same
delete+insert a daily partition run does), each statement holds a few days only.

So when those models do not exist yet and the PM bronze holds more than `ITOT_DBT_BYTES_PER_RUN`
bytes (default 128 MiB: three days of the large profile, 37 MB and 7.7M counter rows a day), the
dbt step first builds them (with what they read) range by range, each range of consecutive days
holding at most that many bytes; the build that follows finds the days present and adds none
(the models' own rule). A small operator (the demo: 8 MB of PM bronze) is built in one statement
as before. Measured on the large profile's bronze with a 4GB memory limit: one day 23 s CPU and
3.0 GiB peak; four days 76 s CPU and 4.2 GiB peak, spilling 2.3 GB.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from orchestration import paths
from orchestration.ingest.days import day_folders

BYTES_PER_RUN_ENV = "ITOT_DBT_BYTES_PER_RUN"
DEFAULT_BYTES_PER_RUN = 128 * 2**20
PM_DATASET = "pm_counters"
# dbt arguments of one range: the incremental models and the nodes upstream of them, no tests
# (the build that follows runs every test once, on the whole tables).
RANGE_ARGUMENTS = (
    "build",
    "--select",
    "+config.materialized:incremental",
    "--exclude",
    "resource_type:test resource_type:unit_test",
)


def bytes_per_run() -> int:
    """`$ITOT_DBT_BYTES_PER_RUN` (bytes of PM bronze per range), default 128 MiB."""
    value = os.environ.get(BYTES_PER_RUN_ENV, "").strip()
    return max(1, int(value)) if value else DEFAULT_BYTES_PER_RUN


def day_sizes(bronze_dataset: Path) -> dict[str, int]:
    """{day: bytes of its Parquet files} for one bronze dataset's day folders."""
    return {
        day: sum(
            child.stat().st_size
            for child in os.scandir(entry.path)
            if child.name.endswith(".parquet")
        )
        for day, entry in day_folders(bronze_dataset)
    }


def day_ranges(sizes: Mapping[str, int], limit: int) -> list[tuple[str, str]]:
    """Consecutive (first, last) day ranges, in day order, each holding at most `limit` bytes
    (a single day larger than that is a range of its own)."""
    ranges: list[tuple[str, str]] = []
    first = last = None
    held = 0
    for day in sorted(sizes):
        if first is not None and held + sizes[day] > limit:
            ranges.append((first, last))
            first, held = None, 0
        if first is None:
            first = day
        last, held = day, held + sizes[day]
    if first is not None:
        ranges.append((first, last))
    return ranges


def incremental_models(manifest: Mapping[str, Any]) -> list[str]:
    """The names of the incremental models of the project."""
    return sorted(
        node["name"]
        for node in manifest.get("nodes", {}).values()
        if node.get("resource_type") == "model"
        and node.get("config", {}).get("materialized") == "incremental"
    )


def first_build_ranges(
    data_dir: Path, missing: list[str], models: list[str]
) -> list[tuple[str, str]]:
    """The day ranges to build the incremental `models` in before the build, or [] when some of
    them exist already (not a first build) or the PM bronze fits one range."""
    if not models or set(models) - set(missing):
        return []
    ranges = day_ranges(day_sizes(paths.bronze_dir(data_dir) / PM_DATASET), bytes_per_run())
    return ranges if len(ranges) > 1 else []
