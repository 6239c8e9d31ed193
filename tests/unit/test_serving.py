"""The serving snapshot: what is copied, and that readers never see a half-built file."""

from __future__ import annotations

import os
from pathlib import Path

import duckdb
import polars as pl
import pytest

from orchestration.serving import publish_snapshot, read_kpis
from orchestration.serving import snapshot as snapshot_module
from orchestration.serving.kpis import kpi_value


def _write_warehouse(path: Path, orders_completed: int) -> None:
    con = duckdb.connect(str(path))
    con.execute("create schema marts")
    con.execute("create schema staging")
    con.execute(
        "create table marts.kpi_headline as select "
        f"cast({orders_completed} as bigint) as orders_completed, "
        f"cast({orders_completed / 3} as double) as order_throughput_per_day, "
        "cast(93.4051 as double) as on_time_delivery_pct"
    )
    con.execute("create table marts.dim_date as select range as day_number from range(5)")
    con.execute("create table staging.stg_secret as select 'not for serving' as x")
    con.execute("create view marts.v_not_a_table as select 1 as x")
    con.close()


def _write_ledger(data: Path) -> None:
    (data / "ledger").mkdir(parents=True, exist_ok=True)
    pl.DataFrame(
        {"file_key": ["k1"], "file_path": ["a.json"], "rows_in": [3], "rows_loaded": [3]}
    ).write_parquet(data / "ledger" / "k1.parquet")


@pytest.fixture
def data(tmp_path: Path) -> Path:
    _write_warehouse(tmp_path / "warehouse.duckdb", orders_completed=30)
    _write_ledger(tmp_path)
    return tmp_path


def _tables(path: Path) -> set[str]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return {row[0] for row in con.execute("select table_name from duckdb_tables()").fetchall()}
    finally:
        con.close()


def test_publish_copies_mart_tables_and_the_ledger(data: Path) -> None:
    out = data / "serving.duckdb"
    summary = publish_snapshot(data / "warehouse.duckdb", data, out)
    published = {
        "ingest_ledger",
        "ingest_ledger_files",
        "ingest_quarantine_reasons",
        "dbt_test_results",
        "stale_models",
    }
    assert _tables(out) == {"kpi_headline", "dim_date", *published}
    assert summary.tables == {
        "dim_date": 5,
        "kpi_headline": 1,
        "ingest_ledger": 1,
        "ingest_ledger_files": 1,
        "ingest_quarantine_reasons": 0,
        "dbt_test_results": 0,
        "stale_models": 0,  # nothing was held back
    }
    assert not list(data.glob("serving.duckdb.tmp-*"))
    assert not Path(f"{out}.wal").exists()


def test_read_kpis_returns_plain_numbers(data: Path) -> None:
    out = data / "serving.duckdb"
    publish_snapshot(data / "warehouse.duckdb", data, out)
    kpis = read_kpis(out)
    assert list(kpis) == ["orders_completed", "order_throughput_per_day", "on_time_delivery_pct"]
    assert kpis["orders_completed"] == 30 and type(kpis["orders_completed"]) is int
    assert kpis["on_time_delivery_pct"] == 93.4051 and type(kpis["on_time_delivery_pct"]) is float


def test_kpi_value() -> None:
    import decimal

    assert kpi_value(decimal.Decimal("1.5")) == 1.5
    assert type(kpi_value(decimal.Decimal("1"))) is float
    assert kpi_value(None) is None
    with pytest.raises(TypeError):
        kpi_value("12")


def test_old_snapshot_stays_readable_while_publishing(data: Path, monkeypatch) -> None:
    out = data / "serving.duckdb"
    publish_snapshot(data / "warehouse.duckdb", data, out)
    reader = duckdb.connect(str(out), read_only=True)  # a dashboard holding the old file open
    (data / "warehouse.duckdb").unlink()
    _write_warehouse(data / "warehouse.duckdb", orders_completed=60)

    real_replace = os.replace
    seen_during_publish: list[int] = []

    def replace_after_checking(src, dst):
        # The new file is complete, the old one not yet replaced: readers still get the old one.
        seen_during_publish.append(read_kpis(out)["orders_completed"])
        real_replace(src, dst)

    monkeypatch.setattr(snapshot_module.os, "replace", replace_after_checking)
    publish_snapshot(data / "warehouse.duckdb", data, out)

    assert seen_during_publish == [30]
    # the reader opened before the swap keeps reading the old snapshot, unbroken
    assert reader.execute("select orders_completed from kpi_headline").fetchone() == (30,)
    reader.close()
    assert read_kpis(out)["orders_completed"] == 60


def test_failed_publish_keeps_the_old_snapshot_and_cleans_up(data: Path, monkeypatch) -> None:
    out = data / "serving.duckdb"
    publish_snapshot(data / "warehouse.duckdb", data, out)

    def broken_replace(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(snapshot_module.os, "replace", broken_replace)
    with pytest.raises(OSError, match="disk full"):
        publish_snapshot(data / "warehouse.duckdb", data, out)
    assert read_kpis(out)["orders_completed"] == 30
    assert not list(data.glob("serving.duckdb.tmp-*"))


def test_missing_warehouse_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="no warehouse"):
        publish_snapshot(tmp_path / "warehouse.duckdb", tmp_path, tmp_path / "serving.duckdb")
    assert not (tmp_path / "serving.duckdb").exists()


def test_empty_ledger_still_gives_an_ingest_ledger_table(tmp_path: Path) -> None:
    _write_warehouse(tmp_path / "warehouse.duckdb", orders_completed=1)
    summary = publish_snapshot(tmp_path / "warehouse.duckdb", tmp_path, tmp_path / "s.duckdb")
    assert summary.tables["ingest_ledger"] == summary.tables["ingest_ledger_files"] == 0
    assert {"ingest_ledger", "ingest_ledger_files"} <= _tables(tmp_path / "s.duckdb")


def test_publish_counts_quarantine_reasons_and_dbt_tests(data: Path) -> None:
    """Quarantined rows are published per file and reason; the latest dbt tests as a table."""
    from orchestration.ingest.quarantine import write_quarantine
    from orchestration.quality.dbt_tests import dbt_test_results_frame, write_dbt_test_results
    from orchestration.sources.result import Reject

    rejects = [Reject("r1", "negative counter", "x"), Reject("r2", "negative counter", "y")]
    write_quarantine(data, "k1", "a.json", "ves_json", [*rejects, Reject("r3", "bad time", "")])
    run_results = {
        "metadata": {"generated_at": "2026-03-01T10:00:00Z", "invocation_id": "inv"},
        "results": [
            {"unique_id": "model.itot.m", "status": "success"},
            {"unique_id": "test.itot.not_null_m_id.abc", "status": "fail", "failures": 4},
        ],
    }
    manifest = {
        "nodes": {
            "test.itot.not_null_m_id.abc": {
                "name": "not_null_m_id",
                "attached_node": "model.itot.m",
                "column_name": "id",
                "test_metadata": {"name": "not_null"},
                "config": {"severity": "ERROR"},
            }
        }
    }
    write_dbt_test_results(data, dbt_test_results_frame(run_results, manifest))
    out = data / "serving.duckdb"
    publish_snapshot(data / "warehouse.duckdb", data, out)
    with duckdb.connect(str(out), read_only=True) as con:
        reasons = con.execute(
            "select reason, rows_quarantined from ingest_quarantine_reasons order by reason"
        ).fetchall()
        tests = con.execute(
            "select test_name, test_type, model, column_name, severity, status, failures "
            "from dbt_test_results"
        ).fetchall()
    assert reasons == [("bad time", 1), ("negative counter", 2)]
    assert tests == [("not_null_m_id", "not_null", "m", "id", "error", "fail", 4)]


def test_a_build_of_some_models_keeps_the_other_tests_latest_results() -> None:
    """A backfill's dbt runs each test their share of the models: every test of the project
    keeps its latest result; a test no longer in the project is dropped."""
    from orchestration.quality.dbt_tests import TEST_RESULT_SCHEMA, latest_result_per_test

    def frame(rows: list[tuple[str, str]]) -> pl.DataFrame:
        return pl.DataFrame(
            [{"test_id": t, "status": s} for t, s in rows], schema=TEST_RESULT_SCHEMA
        )

    previous = frame([("test.a", "pass"), ("test.b", "fail"), ("test.gone", "pass")])
    latest = frame([("test.b", "pass"), ("test.c", "warn")])
    merged = latest_result_per_test(previous, latest, ["test.a", "test.b", "test.c"])
    assert sorted(merged.select("test_id", "status").rows()) == [
        ("test.a", "pass"),
        ("test.b", "pass"),
        ("test.c", "warn"),
    ]


def test_cell_hours_are_served_sorted_by_cell_and_hour(data: Path) -> None:
    """The warehouse keeps hours in day order (incremental by day); the snapshot stores them by
    cell, then hour, so one cell's rows sit together."""
    con = duckdb.connect(str(data / "warehouse.duckdb"))
    con.execute(
        "create table marts.fct_cell_quality_hourly as "
        "select 'cell-' || (i % 7) as cell_id, "
        "timestamp '2026-01-01' + to_hours(i // 7) as hour_start_utc, i as n "
        "from range(700) t(i)"
    )
    con.close()
    out = data / "serving.duckdb"
    publish_snapshot(data / "warehouse.duckdb", data, out)
    with duckdb.connect(str(out), read_only=True) as con:
        served = con.execute(
            "select cell_id, hour_start_utc from fct_cell_quality_hourly"
        ).fetchall()
        count = con.execute("select count(*) from fct_cell_quality_hourly").fetchone()[0]
    assert count == 700
    assert served == sorted(served)
    assert served[0][0] == "cell-0" and served[-1][0] == "cell-6"
