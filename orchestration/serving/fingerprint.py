"""Content hashes of the serving snapshot's tables: did a re-run change what people see?

A table's hash is the MD5 of its rows (each row cast to text, sorted), so it ignores row order
and physical layout and changes with any value. Tables that record *when* and *which run*
(check results, the ingest ledger) differ between two runs of the same data by design; callers
compare the tables they mean.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

RUN_STAMPED_TABLES = frozenset({"fct_data_quality_results", "ingest_ledger"})


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
        return {
            table: con.execute(
                "select coalesce(md5(string_agg(r, chr(10) order by r)), md5('')) "
                f"from (select cast(t as varchar) as r from main.{_quote(table)} as t)"
            ).fetchone()[0]
            for table in tables
        }
    finally:
        con.close()


def mart_hashes(snapshot: Path) -> dict[str, str]:
    """`table_hashes` without the run-stamped tables: what must not change on a re-run."""
    return {t: h for t, h in table_hashes(snapshot).items() if t not in RUN_STAMPED_TABLES}
