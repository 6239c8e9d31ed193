"""Content hashes of snapshot tables: row order and run stamps do not count, values do."""

from __future__ import annotations

from pathlib import Path

import duckdb

from orchestration.serving.fingerprint import mart_hashes, table_hashes


def _snapshot(path: Path, rows: list[tuple], stamp: str) -> Path:
    with duckdb.connect(str(path)) as con:
        con.execute("create table fct_x (cell_id varchar, value double, dbt_invocation_id varchar)")
        con.executemany("insert into fct_x values (?, ?, ?)", [(*r, stamp) for r in rows])
        con.execute(
            "create table dbt_test_results (test_id varchar, status varchar, "
            "execution_time_s double, run_generated_at timestamptz, invocation_id varchar)"
        )
        con.execute(
            "insert into dbt_test_results values ('t1', 'pass', ?, now(), ?)", [len(stamp), stamp]
        )
        con.execute("create table ingest_ledger (file_path varchar, ingested_at timestamptz)")
        con.execute("insert into ingest_ledger values ('a.xml', now())")
    return path


def test_row_order_and_run_stamps_do_not_count(tmp_path: Path) -> None:
    rows = [("C1", 1.5), ("C2", 2.0)]
    a = table_hashes(_snapshot(tmp_path / "a.duckdb", rows, "run-1"))
    b = table_hashes(_snapshot(tmp_path / "b.duckdb", rows[::-1], "another-run"))
    assert a == b
    assert set(a) == {"fct_x", "dbt_test_results", "ingest_ledger"}


def test_any_value_counts(tmp_path: Path) -> None:
    a = table_hashes(_snapshot(tmp_path / "a.duckdb", [("C1", 1.5)], "run"))
    b = table_hashes(_snapshot(tmp_path / "b.duckdb", [("C1", 1.5000001)], "run"))
    assert a["fct_x"] != b["fct_x"]
    assert a["dbt_test_results"] == b["dbt_test_results"]


def test_mart_hashes_leave_the_ledger_out(tmp_path: Path) -> None:
    marts = mart_hashes(_snapshot(tmp_path / "a.duckdb", [("C1", 1.5)], "run"))
    assert set(marts) == {"fct_x", "dbt_test_results"}
