"""Content hashes of the serving snapshot's tables: did a re-run change what people see?

A table's hash is the MD5 of its rows (each row cast to text, sorted), so it ignores row order
and physical layout and changes with any value. The columns that record *when*, *how long* and
*in which run* (a check's `checked_at` and `run_id`, a ledger row's `ingested_at`, a dbt test's
timing and invocation, the `dbt_invocation_id` an incremental model stamps on the days it
rebuilt) differ between two runs of the same data by design and are left out; every other value
counts.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

RUN_STAMP_COLUMNS: dict[str, tuple[str, ...]] = {
    "fct_data_quality_results": ("checked_at", "run_id"),
    "ingest_ledger": ("ingested_at",),
    "dbt_test_results": ("execution_time_s", "run_generated_at", "invocation_id"),
}
# Stamped by incremental models on every row they (re)build, in any table.
RUN_STAMP_ANY_TABLE = ("dbt_invocation_id",)
NOT_MARTS = frozenset({"ingest_ledger", "ingest_ledger_files"})


def _quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def table_hashes(snapshot: Path) -> dict[str, str]:
    """{table: content hash} for every table of the snapshot's main schema (opened read-only)."""
    con = duckdb.connect(str(snapshot), read_only=True)
    try:
        tables = [
            row[0]
            for row in con.execute(
                "select table_name from duckdb_tables() where schema_name = 'main' "
                "order by table_name"
            ).fetchall()
        ]
        columns: dict[str, set[str]] = {}
        for table, column in con.execute(
            "select table_name, column_name from duckdb_columns() where schema_name = 'main'"
        ).fetchall():
            columns.setdefault(table, set()).add(column)
        hashes = {}
        for table in tables:
            stamps = RUN_STAMP_COLUMNS.get(table, ()) + tuple(
                c for c in RUN_STAMP_ANY_TABLE if c in columns.get(table, set())
            )
            exclude = f" exclude ({', '.join(map(_quote, stamps))})" if stamps else ""
            rows = f"select *{exclude} from main.{_quote(table)}"
            hashes[table] = con.execute(
                "select coalesce(md5(string_agg(r, chr(10) order by r)), md5('')) "
                f"from (select cast(t as varchar) as r from ({rows}) t)"
            ).fetchone()[0]
        return hashes
    finally:
        con.close()


def mart_hashes(snapshot: Path) -> dict[str, str]:
    """`table_hashes` of the dbt marts (every table but the ingest ledger's two)."""
    return {t: h for t, h in table_hashes(snapshot).items() if t not in NOT_MARTS}
