"""Which dbt models a build keeps: those no changed source reaches, of an unchanged project."""

from __future__ import annotations

import os
from pathlib import Path

from orchestration.transform.changed_days import (
    last_build_folder,
    last_build_project,
    last_build_started,
    record_build_started,
)
from orchestration.transform.unchanged_models import (
    changed_since,
    changed_sources,
    kept_views,
    project_fingerprint,
    unchanged_models,
)

MANIFEST = {
    "sources": {
        "source.itot.network.pm_counters": {"source_name": "network", "name": "pm_counters"},
        "source.itot.customer.customers": {"source_name": "customer", "name": "customers"},
        "source.itot.quality.check_results": {"source_name": "quality", "name": "check_results"},
    },
    "nodes": {
        "model.itot.stg_pm": {
            "resource_type": "model",
            "name": "stg_pm",
            "checksum": "a",
            "config": {"materialized": "view"},
        },
        "model.itot.stg_customers": {
            "resource_type": "model",
            "name": "stg_customers",
            "checksum": "b",
        },
        "model.itot.kpi": {"resource_type": "model", "name": "kpi", "checksum": "c"},
        "model.itot.dim_date": {"resource_type": "model", "name": "dim_date", "checksum": "d"},
        "model.itot.customer_kpi": {
            "resource_type": "model",
            "name": "customer_kpi",
            "checksum": "f",
        },
        "seed.itot.counter_map": {"resource_type": "seed", "name": "counter_map", "checksum": "e"},
        "test.itot.not_null_stg_pm": {"resource_type": "test", "name": "not_null_stg_pm"},
    },
    "macros": {"macro.itot.m": {"macro_sql": "select 1"}},
    "child_map": {
        "source.itot.network.pm_counters": ["model.itot.stg_pm"],
        "source.itot.customer.customers": ["model.itot.stg_customers"],
        "model.itot.stg_pm": ["model.itot.kpi", "test.itot.not_null_stg_pm"],
        "model.itot.stg_customers": ["model.itot.kpi", "model.itot.customer_kpi"],
        "seed.itot.counter_map": ["model.itot.stg_pm", "model.itot.customer_kpi"],
    },
    "parent_map": {
        "model.itot.stg_pm": ["source.itot.network.pm_counters", "seed.itot.counter_map"],
        "model.itot.stg_customers": ["source.itot.customer.customers"],
        "model.itot.kpi": ["model.itot.stg_pm", "model.itot.stg_customers"],
        "model.itot.customer_kpi": ["model.itot.stg_customers", "seed.itot.counter_map"],
    },
}


def _touch(path: Path, mtime: float) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"x")
    os.utime(path, (mtime, mtime))
    os.utime(path.parent, (mtime, mtime))


def test_models_downstream_of_a_changed_source_are_rebuilt_the_others_kept() -> None:
    """Kept models and seeds come parents first (Dagster wants them reported in that order)."""
    assert unchanged_models(MANIFEST, ["source.itot.network.pm_counters"]) == [
        "stg_customers",
        "counter_map",
        "customer_kpi",
        "dim_date",
    ]
    every = list(MANIFEST["sources"])
    assert unchanged_models(MANIFEST, every) == ["dim_date", "counter_map"]  # read no source
    kept = unchanged_models(MANIFEST, [])
    assert sorted(kept) == [
        "counter_map",
        "customer_kpi",
        "dim_date",
        "kpi",
        "stg_customers",
        "stg_pm",
    ]
    position = {name: i for i, name in enumerate(kept)}
    for child, parents in MANIFEST["parent_map"].items():
        for parent in parents:
            name = parent.split(".")[-1]
            if name in position:
                assert position[name] < position[child.split(".")[-1]]


def test_a_source_changes_with_a_day_folder_file_written_or_removed(tmp_path: Path) -> None:
    pm = tmp_path / "bronze" / "pm_counters"
    _touch(pm / "day=2026-01-01" / "a.parquet", 100.0)
    _touch(pm / "schema.parquet", 900.0)  # rewritten by every ingest: not a change
    os.utime(pm, (900.0, 900.0))
    _touch(tmp_path / "bronze" / "customers" / "day=static" / "c.parquet", 100.0)
    _touch(tmp_path / "quality" / "pm_counters.parquet", 500.0)
    assert changed_sources(MANIFEST, tmp_path, 200.0) == ["source.itot.quality.check_results"]
    assert not changed_since(tmp_path / "bronze" / "absent", 0.0)

    _touch(pm / "day=2026-01-02" / "b.parquet", 300.0)  # a new day
    assert "source.itot.network.pm_counters" in changed_sources(MANIFEST, tmp_path, 200.0)
    os.utime(pm / "day=2026-01-02", (100.0, 100.0))
    os.utime(pm / "day=2026-01-02" / "b.parquet", (100.0, 100.0))
    assert "source.itot.network.pm_counters" not in changed_sources(MANIFEST, tmp_path, 200.0)
    (tmp_path / "bronze" / "customers" / "day=static" / "c.parquet").unlink()  # rows removed
    assert "source.itot.customer.customers" in changed_sources(MANIFEST, tmp_path, 200.0)


def test_the_project_fingerprint_follows_code_and_settings_not_resources() -> None:
    env = {"ITOT_PSEUDONYM_KEY": "k", "HOME": "/root", "ITOT_DUCKDB_THREADS": "2"}
    base = project_fingerprint(MANIFEST, env)
    assert project_fingerprint(MANIFEST, {**env, "HOME": "/x", "ITOT_DUCKDB_THREADS": "8"}) == base
    assert project_fingerprint(MANIFEST, {**env, "ITOT_PSEUDONYM_KEY": "other"}) != base
    edited = {**MANIFEST, "macros": {"macro.itot.m": {"macro_sql": "select 2"}}}
    assert project_fingerprint(edited, env) != base


def test_a_copied_data_folder_keeps_the_fingerprint_on_duckdb_only() -> None:
    """A table holds rows, not the folder it was built in; Spark's metastore names folders."""
    here = {"ITOT_PSEUDONYM_KEY": "k", "ITOT_DATA": "/a/data", "ITOT_LANDING": "/a/landing"}
    there = {**here, "ITOT_DATA": "/b/data", "ITOT_LANDING": "/b/landing"}
    assert project_fingerprint(MANIFEST, here) == project_fingerprint(MANIFEST, there)
    duck = {**here, "ITOT_ENGINE": "duckdb"}
    assert project_fingerprint(MANIFEST, duck) == project_fingerprint(
        MANIFEST, {**there, "ITOT_ENGINE": "duckdb"}
    )
    spark_here, spark_there = {**here, "ITOT_ENGINE": "spark"}, {**there, "ITOT_ENGINE": "spark"}
    assert project_fingerprint(MANIFEST, spark_here) != project_fingerprint(MANIFEST, spark_there)


def test_the_kept_views_are_named_in_the_kept_order() -> None:
    """A view's query names the folder it reads: a copy re-creates the kept ones."""
    kept = unchanged_models(MANIFEST, [])
    assert kept_views(MANIFEST, kept) == ["stg_pm"]
    assert kept_views(MANIFEST, [name for name in kept if name != "stg_pm"]) == []


def test_the_record_keeps_the_project_it_built(tmp_path: Path) -> None:
    assert last_build_project(tmp_path) is None
    assert last_build_folder(tmp_path) is None
    record_build_started(tmp_path, 200.0, "abc")
    assert (last_build_started(tmp_path), last_build_project(tmp_path)) == (200.0, "abc")
    assert last_build_folder(tmp_path) == str(tmp_path.resolve())
    record_build_started(tmp_path, 300.0)
    assert (last_build_started(tmp_path), last_build_project(tmp_path)) == (300.0, None)
