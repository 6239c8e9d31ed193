"""Which days a plain build rebuilds in the per-day incremental models."""

from __future__ import annotations

import os
from pathlib import Path

from orchestration.transform.changed_days import (
    day_folder_times,
    last_build_started,
    plain_build_days,
    rebuild_range,
    record_build_started,
)


def test_nothing_without_a_record_or_without_a_change() -> None:
    times = [{"2026-01-01": 100.0, "2026-01-02": 200.0}]
    assert rebuild_range(times, None) is None
    assert rebuild_range(times, 300.0) is None
    assert rebuild_range([{}], 50.0) is None


def test_from_the_earliest_changed_day_to_the_latest_day() -> None:
    times = [{"2026-01-01": 100.0, "2026-01-02": 400.0, "2026-01-03": 150.0}]
    assert rebuild_range(times, 300.0) == ("2026-01-02", "2026-01-03")
    # a new day only: just that day onwards, as the models' own rule would do
    assert rebuild_range([{"2026-01-01": 100.0, "2026-01-04": 500.0}], 300.0) == (
        "2026-01-04",
        "2026-01-04",
    )


def test_days_of_several_datasets_are_merged() -> None:
    times = [{"2026-01-05": 100.0}, {"2026-01-02": 400.0}]
    assert rebuild_range(times, 300.0) == ("2026-01-02", "2026-01-05")


def _touch(path: Path, mtime: float) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"x")
    os.utime(path, (mtime, mtime))


def test_a_folder_changes_with_a_file_added_rewritten_or_removed(tmp_path: Path) -> None:
    bronze = tmp_path / "bronze" / "pm_counters"
    _touch(bronze / "day=2026-01-01" / "a.parquet", 100.0)
    _touch(bronze / "day=2026-01-02" / "b.parquet", 100.0)
    _touch(bronze / "day=static" / "c.parquet", 900.0)
    for folder in bronze.iterdir():
        os.utime(folder, (100.0, 100.0))
    assert day_folder_times(bronze) == {"2026-01-01": 100.0, "2026-01-02": 100.0}

    _touch(bronze / "day=2026-01-01" / "a.parquet", 500.0)  # a corrected re-delivery
    (bronze / "day=2026-01-02" / "b.parquet").unlink()  # rows removed: the folder changes
    times = day_folder_times(bronze)
    assert times["2026-01-01"] == 500.0
    assert times["2026-01-02"] > 100.0
    assert day_folder_times(tmp_path / "absent") == {}


def test_the_record_round_trips_and_drives_the_days(tmp_path: Path) -> None:
    assert last_build_started(tmp_path) is None
    _touch(tmp_path / "bronze" / "pm_counters" / "day=2026-01-03" / "a.parquet", 100.0)
    os.utime(tmp_path / "bronze" / "pm_counters" / "day=2026-01-03", (100.0, 100.0))
    assert plain_build_days(tmp_path) is None  # no record: the models' own rule
    record_build_started(tmp_path, 200.0)
    assert last_build_started(tmp_path) == 200.0
    assert plain_build_days(tmp_path) is None
    _touch(tmp_path / "bronze" / "pm_counters" / "day=2026-01-01" / "late.parquet", 300.0)
    os.utime(tmp_path / "bronze" / "pm_counters" / "day=2026-01-01", (300.0, 300.0))
    assert plain_build_days(tmp_path) == ("2026-01-01", "2026-01-03")
    assert [p.name for p in (tmp_path / "state").iterdir()] == ["dbt_incremental.json"]
