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

from orchestration.ingest.ledger import read_ledger

MARTS_SCHEMA = "marts"
LEDGER_TABLE = "ingest_ledger"
_WAREHOUSE_ALIAS = "warehouse_src"


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
        con.execute(
            f"create table main.{_quote(table)} as "
            f"select * from {_WAREHOUSE_ALIAS}.{MARTS_SCHEMA}.{_quote(table)}"
        )
    con.execute(f"detach {_WAREHOUSE_ALIAS}")
    return tables


def _quote_literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def publish_snapshot(warehouse: Path, data_dir: Path, out: Path) -> SnapshotSummary:
    """Copy every table of the warehouse's `marts` schema, plus `ingest_ledger` (all ledger rows),
    into a new DuckDB file, then atomically replace `out` with it.

    `warehouse` is opened read-only; `data_dir` is where the ingest ledger lives.
    """
    if not warehouse.exists():
        raise FileNotFoundError(f"no warehouse at {warehouse}: run the dbt assets first")
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = temp_path_for(out)
    for leftover in (tmp, Path(f"{tmp}.wal")):
        _remove(leftover)

    ledger = read_ledger(data_dir)
    try:
        con = duckdb.connect(str(tmp))
        try:
            tables = _copy_marts(con, warehouse)
            con.register("ledger_frame", ledger.to_arrow())
            con.execute(f"create table main.{LEDGER_TABLE} as select * from ledger_frame")
            con.unregister("ledger_frame")
            tables.append(LEDGER_TABLE)
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
