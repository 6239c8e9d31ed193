"""Comparing builds of one landing zone on the two engines (issue 17, docs/spark.md).

`itot build --engine <engine>` as a subprocess (the real command: Spark's JVM lives and dies with
it), and the serving snapshot's marts compared row by row: rows sorted and hashed; where the
hashes differ, every non-float column must be equal and every float equal within 1e-4 (the
engines add doubles in different orders, and a figure rounded to 4 decimals can land on either
side of a boundary). Columns naming the build (dbt invocation, run id, check time) are left out.
The snapshot's other tables (ingest ledger, dbt test results, stale models) are written by the
same Python on both engines, not by the engine.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import duckdb

from orchestration import paths
from orchestration.serving.snapshot import (
    DBT_TESTS_TABLE,
    LEDGER_FILES_TABLE,
    LEDGER_TABLE,
    QUARANTINE_REASONS_TABLE,
    STALE_TABLE,
)

NOT_FROM_THE_ENGINE = {
    LEDGER_TABLE,
    LEDGER_FILES_TABLE,
    QUARANTINE_REASONS_TABLE,
    DBT_TESTS_TABLE,
    STALE_TABLE,
}
FLOATS = ("DOUBLE", "FLOAT", "REAL")
FLOAT_TOLERANCE = 1e-4
# Columns that name the build rather than the data: the same on no two builds.
BUILD_COLUMNS = {"dbt_invocation_id", "run_id", "checked_at"}


def itot_build(landing: Path, data: Path, engine: str) -> subprocess.CompletedProcess:
    """`itot build --engine <engine>` (the flag, not ITOT_ENGINE, picks it); its first line
    names the engine."""
    env = {**os.environ, "ITOT_ENGINE": "duckdb"}
    result = subprocess.run(
        [sys.executable, "-m", "orchestration.cli", "build", "--landing", str(landing)]
        + ["--data", str(data), "--engine", engine],
        capture_output=True,
        text=True,
        timeout=3600,
        env=env,
    )
    assert result.stdout.splitlines()[:1] and result.stdout.splitlines()[0].endswith(
        f" on {engine}"
    ), result.stdout[:300] + result.stderr[-3000:]
    return result


def table_rows(snapshot: Path, table: str) -> list[tuple[str, tuple[float | None, ...]]]:
    """Every row of `table` as (its exact columns as one text, its float columns), sorted;
    columns by name, without the columns that name a build (BUILD_COLUMNS)."""
    with duckdb.connect(str(snapshot), read_only=True) as con:
        con.execute("set TimeZone = 'UTC'")
        columns = [
            (name, kind.upper())
            for name, kind in con.execute(
                "select column_name, data_type from information_schema.columns "
                "where table_name = ? order by column_name",
                [table],
            ).fetchall()
            if name not in BUILD_COLUMNS
        ]
        exact = [
            f"coalesce(cast(\"{n}\" as varchar), 'NULL')" for n, k in columns if k not in FLOATS
        ]
        floats = [f'"{n}"' for n, k in columns if k in FLOATS]
        key = " || chr(31) || ".join(exact) or "''"
        rows = con.execute(f'select {key}, [{", ".join(floats)}] from "{table}"').fetchall()
    return sorted((text, tuple(values)) for text, values in rows)


def float_mismatch(a: float | None, b: float | None) -> bool:
    """Different beyond the 4th decimal (relative for large values)."""
    if a is None or b is None:
        return a is not b
    return abs(a - b) > FLOAT_TOLERANCE * max(1.0, abs(a))


def row_differences(duck: list, spark: list) -> list[str]:
    """Up to 3 lines naming how two sorted row lists differ (empty when they agree)."""
    if [text for text, _ in duck] != [text for text, _ in spark]:
        only_duck = sorted({t for t, _ in duck} - {t for t, _ in spark})
        only_spark = sorted({t for t, _ in spark} - {t for t, _ in duck})
        return [f"{len(duck)} vs {len(spark)} rows", *only_duck[:2], *only_spark[:2]]
    return [
        f"{text}: {a} vs {b}"
        for (text, a), (_, b) in zip(duck, spark, strict=True)
        if any(float_mismatch(x, y) for x, y in zip(a, b, strict=True))
    ][:3]


def mart_tables(snapshot: Path) -> set[str]:
    """The snapshot's tables the engine filled (its marts and the predictions read from them)."""
    with duckdb.connect(str(snapshot), read_only=True) as con:
        names = {row[0] for row in con.execute("select table_name from duckdb_tables()").fetchall()}
    return names - NOT_FROM_THE_ENGINE


def differing_marts(duck_data: Path, spark_data: Path) -> dict[str, list[str]]:
    """The marts whose rows differ between two builds' snapshots, each with how; a mart only one
    snapshot holds is reported too."""
    duck_snapshot, spark_snapshot = paths.serving_path(duck_data), paths.serving_path(spark_data)
    duck_tables, spark_tables = mart_tables(duck_snapshot), mart_tables(spark_snapshot)
    differing = {t: ["missing on one engine"] for t in duck_tables ^ spark_tables}
    for table in sorted(duck_tables & spark_tables):
        duck, spark = table_rows(duck_snapshot, table), table_rows(spark_snapshot, table)
        digest = [hashlib.sha256(repr(rows).encode()).hexdigest() for rows in (duck, spark)]
        if digest[0] != digest[1] and (problems := row_differences(duck, spark)):
            differing[table] = problems
    return differing
