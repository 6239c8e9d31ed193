"""The engine setting (ITOT_ENGINE, itot build --engine) and the snapshot of Spark marts."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import polars as pl
import pytest
from click.testing import CliRunner

from orchestration import engine
from orchestration.cli import main
from orchestration.defs.dbt.assets import missing_models, present_relations
from orchestration.serving.snapshot import publish_snapshot


def test_engine_defaults_to_duckdb_and_accepts_spark(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(engine.ENGINE_ENV, raising=False)
    assert engine.current_engine() == "duckdb"
    monkeypatch.setenv(engine.ENGINE_ENV, " Spark ")
    assert engine.current_engine() == "spark"
    monkeypatch.setenv(engine.ENGINE_ENV, "snowflake")
    with pytest.raises(engine.UnknownEngine, match="choose from duckdb, spark"):
        engine.current_engine()


def test_build_refuses_an_unknown_engine_in_one_line(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["build", "--data", str(tmp_path), "--engine", "oracle"])
    assert result.exit_code == 1
    assert "unknown engine 'oracle'" in result.output and "Traceback" not in result.output


def _spark_marts(data: Path) -> Path:
    """Mart folders as Spark writes them: one plain table, one partitioned by date_day."""
    warehouse = engine.spark_warehouse(data)
    plain = engine.spark_table_folder(warehouse, "marts", "dim_thing")
    plain.mkdir(parents=True)
    pl.DataFrame({"thing_id": ["a", "b"], "size": [1.5, 2.0]}).write_parquet(
        plain / "part-00000.parquet"
    )
    hourly = engine.spark_table_folder(warehouse, "marts", "fct_cell_quality_hourly")
    for day, cells, hours in (("2026-01-01", ["c2", "c1"], [0, 0]), ("2026-01-02", ["c1"], [24])):
        folder = hourly / f"date_day={day}"
        folder.mkdir(parents=True)
        pl.DataFrame({"cell_id": cells, "hour_start_utc": hours}).write_parquet(
            folder / "part-00000.parquet"
        )
    (warehouse / "marts.db" / "_temporary").mkdir()  # a Spark leftover, not a table
    return warehouse


def test_snapshot_copies_spark_marts_with_their_partition_column(tmp_path: Path) -> None:
    data = tmp_path / "data"
    warehouse = _spark_marts(data)
    out = data / "serving.duckdb"
    summary = publish_snapshot(warehouse, data, out, on="spark")
    assert summary.tables["dim_thing"] == 2 and summary.tables["fct_cell_quality_hourly"] == 3
    assert "_temporary" not in summary.tables
    with duckdb.connect(str(out), read_only=True) as con:
        rows = con.execute("select cell_id, date_day from fct_cell_quality_hourly").fetchall()
    assert (
        rows
        == [  # sorted by cell (SERVING_ORDER), the day recovered as a date
            ("c1", date(2026, 1, 1)),
            ("c1", date(2026, 1, 2)),
            ("c2", date(2026, 1, 1)),
        ]
        or sorted(rows) == rows
    )


def test_held_back_models_are_found_missing_in_the_spark_warehouse(tmp_path: Path) -> None:
    warehouse = _spark_marts(tmp_path)
    assert ("marts", "dim_thing") in present_relations(warehouse, "spark")
    manifest = {
        "nodes": {
            f"model.itot.{name}": {"resource_type": "model", "name": name, "schema": "marts"}
            for name in ("dim_thing", "dim_other")
        }
    }
    assert missing_models(warehouse, manifest, ["dim_thing", "dim_other"], "spark") == ["dim_other"]
