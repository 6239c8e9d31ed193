"""Publish the serving snapshot: a new DuckDB file, built aside and renamed over the old one.

DuckDB allows one writer or many readers per file. The dashboards therefore never read the
warehouse: they read `serving.duckdb`, which is only ever replaced whole by `os.replace`. A reader
that has the old file open keeps reading the old file (its inode), and a reader that opens after
the rename sees the complete new one; nobody ever sees a half-written snapshot.
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import polars as pl

from orchestration import duckdb_config, engine
from orchestration.ingest.ledger import read_ledger
from orchestration.ingest.ledger_files import serving_frame
from orchestration.ingest.quarantine import read_quarantine
from orchestration.predict.tables import read_prediction_tables
from orchestration.quality.blocking import read_stale_models
from orchestration.quality.dbt_tests import read_dbt_test_results

MARTS_SCHEMA = "marts"
LEDGER_TABLE = "ingest_ledger"
LEDGER_FILES_TABLE = "ingest_ledger_files"
QUARANTINE_REASONS_TABLE = "ingest_quarantine_reasons"
DBT_TESTS_TABLE = "dbt_test_results"
STALE_TABLE = "stale_models"  # models a blocked dataset held back (orchestration.quality.blocking)
_WAREHOUSE_ALIAS = "warehouse_src"
# Tables the dashboards read one entity at a time, stored in the snapshot sorted by that entity
# (the table's grain, so the order is deterministic): DuckDB's per-row-group min/max then skips
# all but a few row groups. The cell drill reads one cell's hours out of 7.4M rows on the large
# profile (the warehouse keeps them in day order: it is incremental by day).
SERVING_ORDER = {"fct_cell_quality_hourly": ("cell_id", "hour_start_utc")}


@dataclass(frozen=True)
class SnapshotSummary:
    """What was published: the snapshot path and each table's row count."""

    path: Path
    tables: dict[str, int] = field(default_factory=dict)


def temp_path_for(out: Path, pid: int | None = None) -> Path:
    """Where the next snapshot is built: `<out>.tmp-<pid>`, beside `out` (same filesystem)."""
    return out.with_name(f"{out.name}.tmp-{os.getpid() if pid is None else pid}")


def _quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def _remove(path: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        path.unlink()


def _fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_dir(path: Path) -> None:
    # Makes the rename itself durable; not supported everywhere (e.g. Windows), hence the guard.
    with contextlib.suppress(OSError):
        _fsync_file(path)


def _copy_marts(con: duckdb.DuckDBPyConnection, warehouse: Path) -> list[str]:
    con.execute(f"attach {_quote_literal(str(warehouse))} as {_WAREHOUSE_ALIAS} (read_only)")
    tables = [
        row[0]
        for row in con.execute(
            "select table_name from duckdb_tables() "
            "where database_name = ? and schema_name = ? order by table_name",
            [_WAREHOUSE_ALIAS, MARTS_SCHEMA],
        ).fetchall()
    ]
    for table in tables:
        order = SERVING_ORDER.get(table)
        order_by = f" order by {', '.join(map(_quote, order))}" if order else ""
        con.execute(
            f"create table main.{_quote(table)} as "
            f"select * from {_WAREHOUSE_ALIAS}.{MARTS_SCHEMA}.{_quote(table)}{order_by}"
        )
    con.execute(f"detach {_WAREHOUSE_ALIAS}")
    return tables


# Marts that are views on DuckDB (so never copied from it) but tables on Spark, where a model
# reads its input from Parquet files and a view has none: not published on either engine, so
# both snapshots hold the same tables. fct_cell_hour_features feeds the anomaly model, no page.
SPARK_ONLY_TABLES = frozenset({"fct_cell_hour_features"})


def spark_mart_tables(warehouse: Path) -> list[str]:
    """The tables of Spark's `marts` schema (the folders of `<warehouse>/marts.db/`) that the
    snapshot publishes: all but SPARK_ONLY_TABLES."""
    schema = engine.spark_table_folder(warehouse, MARTS_SCHEMA, "")
    if not schema.is_dir():
        return []
    return sorted(
        p.name
        for p in schema.iterdir()
        if p.is_dir() and p.name[0] not in "._" and p.name not in SPARK_ONLY_TABLES
    )


def _copy_spark_marts(con: duckdb.DuckDBPyConnection, warehouse: Path) -> list[str]:
    """Copy each Spark mart from its Parquet files (`engine.spark_mart_scan`)."""
    tables = spark_mart_tables(warehouse)
    for table in tables:
        order = SERVING_ORDER.get(table)
        order_by = f" order by {', '.join(map(_quote, order))}" if order else ""
        scan = engine.spark_mart_scan(warehouse, MARTS_SCHEMA, table)
        con.execute(f"create table main.{_quote(table)} as select * from {scan}{order_by}")
    return tables


def _quote_literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def quarantine_reasons(data_dir: Path) -> pl.DataFrame:
    """Quarantined records counted per source file and reason (the ledger keeps only the most
    frequent reason of a file)."""
    rows = read_quarantine(data_dir)
    return (
        rows.group_by("file_key", "file_path", "format", "reason")
        .agg(pl.len().cast(pl.Int64).alias("rows_quarantined"))
        .sort("file_path", "reason")
    )


def publish_snapshot(
    warehouse: Path, data_dir: Path, out: Path, *, on: str = "duckdb"
) -> SnapshotSummary:
    """Copy every table of the warehouse's `marts` schema, plus `ingest_ledger` (all ledger rows,
    per file and dataset), `ingest_ledger_files` (one row per file with its per-dataset breakdown),
    `ingest_quarantine_reasons` (quarantined rows per file and reason), `dbt_test_results`
    (the latest dbt build's tests), `stale_models` (the models a blocked dataset held back:
    their marts here are the last good version, or empty) and every prediction table
    (`<data>/predictions/*.parquet`, orchestration.predict.tables), into a new DuckDB file, then
    atomically replace `out`.

    `warehouse` is opened read-only; `data_dir` is where the ingest ledger lives. `on` names
    the engine that built the marts (`orchestration.engine`): with duckdb `warehouse` is its
    database file, with spark the folder of Spark's Parquet tables; the snapshot is the same
    DuckDB file either way.
    """
    if not warehouse.exists():
        raise FileNotFoundError(f"no warehouse at {warehouse}: run the dbt assets first")
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = temp_path_for(out)
    for leftover in (tmp, Path(f"{tmp}.wal")):
        _remove(leftover)

    ledger = read_ledger(data_dir)
    frames = {
        LEDGER_TABLE: ledger,
        LEDGER_FILES_TABLE: serving_frame(ledger),
        QUARANTINE_REASONS_TABLE: quarantine_reasons(data_dir),
        DBT_TESTS_TABLE: read_dbt_test_results(data_dir),
        STALE_TABLE: read_stale_models(data_dir),
        # the prediction serving tables (srv_order_fallout_risk, srv_cell_anomalies, ...)
        **read_prediction_tables(data_dir),
    }
    try:
        con = duckdb_config.connect(data_dir, tmp)
        try:
            copy = _copy_spark_marts if engine.checked_engine(on) == "spark" else _copy_marts
            tables = copy(con, warehouse)
            for name, frame in frames.items():
                con.register("published_frame", frame.to_arrow())
                con.execute(f"create table main.{_quote(name)} as select * from published_frame")
                con.unregister("published_frame")
                tables.append(name)
            counts = {
                table: int(con.execute(f"select count(*) from main.{_quote(table)}").fetchone()[0])
                for table in tables
            }
            con.execute("checkpoint")
        finally:
            con.close()
        _fsync_file(tmp)
        # A WAL left beside `out` by a crashed writer would be replayed onto the new file.
        _remove(Path(f"{out}.wal"))
        os.replace(tmp, out)
        _fsync_dir(out.parent)
    except BaseException:
        _remove(tmp)
        _remove(Path(f"{tmp}.wal"))
        raise
    return SnapshotSummary(path=out, tables=counts)
