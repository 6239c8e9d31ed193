"""A first build of the per-day incremental models in ranges of days of bounded bronze bytes."""

from __future__ import annotations

from pathlib import Path

from orchestration.transform.day_ranges import (
    BYTES_PER_RUN_ENV,
    day_ranges,
    first_build_ranges,
    incremental_models,
)


def test_ranges_are_consecutive_days_up_to_the_byte_limit() -> None:
    sizes = {"2026-01-03": 40, "2026-01-01": 50, "2026-01-02": 50, "2026-01-04": 500}
    assert day_ranges(sizes, 100) == [
        ("2026-01-01", "2026-01-02"),
        ("2026-01-03", "2026-01-03"),
        ("2026-01-04", "2026-01-04"),  # larger than the limit alone: a range of its own
    ]
    assert day_ranges(sizes, 10_000) == [("2026-01-01", "2026-01-04")]
    assert day_ranges({}, 100) == []


def test_only_a_first_build_of_more_than_one_range_is_split(tmp_path: Path, monkeypatch) -> None:
    for day in ("2026-01-01", "2026-01-02", "2026-01-03"):
        folder = tmp_path / "bronze" / "pm_counters" / f"day={day}"
        folder.mkdir(parents=True)
        (folder / "a.parquet").write_bytes(b"x" * 60)
    models = ["int_network__cell_kpis_15min", "fct_cell_quality_hourly"]
    monkeypatch.setenv(BYTES_PER_RUN_ENV, "100")
    assert first_build_ranges(tmp_path, models, models) == [
        ("2026-01-01", "2026-01-01"),
        ("2026-01-02", "2026-01-02"),
        ("2026-01-03", "2026-01-03"),
    ]
    assert first_build_ranges(tmp_path, models[:1], models) == []  # one exists: not a first build
    monkeypatch.setenv(BYTES_PER_RUN_ENV, "1000")
    assert first_build_ranges(tmp_path, models, models) == []  # fits one range


def test_incremental_models_come_from_the_manifest() -> None:
    nodes = {
        "model.itot.a": {
            "resource_type": "model",
            "name": "a",
            "config": {"materialized": "incremental"},
        },
        "model.itot.b": {
            "resource_type": "model",
            "name": "b",
            "config": {"materialized": "table"},
        },
        "seed.itot.c": {"resource_type": "seed", "name": "c", "config": {"materialized": "seed"}},
    }
    assert incremental_models({"nodes": nodes}) == ["a"]
