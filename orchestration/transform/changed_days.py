"""Which days a plain (unpartitioned) build must rebuild in dbt's per-day incremental models.

The incremental models (radio KPIs per cell × 15 min, cell quality per hour) rebuild, on a run
without `from_day`/`to_day`, only the days after the latest day they hold. That misses a late
file for an old day and a corrected re-delivery of an old file: their bronze rows change, the
model's day does not. So after every successful unpartitioned dbt build the time it started is
recorded (`$ITOT_DATA/state/dbt_incremental.json`), and the next unpartitioned build looks at the
bronze day folders of the datasets those models read: a day whose folder or any of its files
changed since is a changed day, and dbt gets `from_day` = the earliest changed day and `to_day` =
the latest day in bronze, so that every changed day and every new one is rebuilt whole.

Without a record (the first build, or one made before this existed) nothing is passed: the
models' own rule applies (every day on a first build). Partitioned runs keep their own days and
leave the record alone, so a day they did not cover is still seen as changed later.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from orchestration import paths
from orchestration.ingest.days import day_folders
from orchestration.state_records import read_record, write_record

# Bronze datasets read by the per-day incremental models (dbt_project/models/.../*15min, *hourly).
INCREMENTAL_SOURCES = ("pm_counters",)
STATE_FILE = "dbt_incremental.json"  # in the state folder


def day_folder_times(bronze_dataset: Path) -> dict[str, float]:
    """{day: latest mtime of its folder (entries added or removed) or of any file in it}."""
    out: dict[str, float] = {}
    for day, entry in day_folders(bronze_dataset):
        latest = entry.stat().st_mtime
        for child in os.scandir(entry.path):
            latest = max(latest, child.stat().st_mtime)
        out[day] = latest
    return out


def rebuild_range(times: Iterable[dict[str, float]], since: float | None) -> tuple[str, str] | None:
    """(from_day, to_day) covering every day changed after `since` through the latest day, or
    None when nothing changed (or when there is no record, `since` None)."""
    merged: dict[str, float] = {}
    for mapping in times:
        for day, mtime in mapping.items():
            merged[day] = max(mtime, merged.get(day, mtime))
    if since is None or not merged:
        return None
    changed = [day for day, mtime in merged.items() if mtime >= since]
    if not changed:
        return None
    return min(changed), max(merged)


def state_path(data_dir: Path) -> Path:
    return paths.state_dir(data_dir) / STATE_FILE


def _record(data_dir: Path) -> dict:
    return read_record(state_path(data_dir))


def last_build_started(data_dir: Path) -> float | None:
    """When the last successful unpartitioned dbt build started (epoch seconds), if recorded."""
    try:
        return float(_record(data_dir)["started_at"])
    except (KeyError, TypeError, ValueError):
        return None


def last_build_project(data_dir: Path) -> str | None:
    """The project fingerprint (`unchanged_models.project_fingerprint`) of that build, if
    recorded."""
    project = _record(data_dir).get("project")
    return project if isinstance(project, str) else None


def last_build_folder(data_dir: Path) -> str | None:
    """The data folder (absolute path) that build ran in, if recorded: another one when
    `data_dir` is a copy."""
    folder = _record(data_dir).get("data")
    return folder if isinstance(folder, str) else None


def record_build_started(data_dir: Path, started_at: float, project: str | None = None) -> None:
    """Record a successful unpartitioned dbt build, the fingerprint of the project it ran and
    the data folder it ran in (atomically: a kill leaves the old record)."""
    record = {
        "started_at": started_at,
        "data": str(data_dir.resolve()),
        **({"project": project} if project else {}),
    }
    write_record(state_path(data_dir), record)


def plain_build_days(data_dir: Path) -> tuple[str, str] | None:
    """The days an unpartitioned build passes to dbt (see the module docstring), or None."""
    bronze = paths.bronze_dir(data_dir)
    times = [day_folder_times(bronze / dataset) for dataset in INCREMENTAL_SOURCES]
    return rebuild_range(times, last_build_started(data_dir))
