"""The demo operator built on Spark (`itot build --engine spark`, issue 17): the same models
give the same KPIs and the same serving tables as on DuckDB.

One Spark build per test session (a local pyspark starts once, inside the one `dbt build` the
build runs; its dbt unit tests, data tests and contracts run on Spark too), compared with the
shared DuckDB demo build. Every mart in the serving snapshot has the same rows on both engines:
rows sorted and hashed; where the hashes differ, every non-float column must be equal and every
float equal within 1e-4 (the engines add doubles in different orders, and a figure rounded to 4
decimals can land on either side of a boundary). Columns naming the build (dbt invocation, run
id, check time) are left out. The snapshot's other tables (ingest ledger, dbt test
results) are written by the same Python on both engines, not by the engine.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from orchestration import paths
from orchestration.serving import read_kpis
from orchestration.serving.snapshot import (
    DBT_TESTS_TABLE,
    LEDGER_FILES_TABLE,
    LEDGER_TABLE,
    QUARANTINE_REASONS_TABLE,
    STALE_TABLE,
)
from tests.conftest import build_once, shared_dir
from tests.kpi_truth import assert_kpis_equal, assert_kpis_match_truth

pytestmark = [pytest.mark.integration, pytest.mark.seconds(600)]

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


def build_on_spark(landing: Path, data: Path) -> None:
    """`itot build --engine spark` (the real command); its first line names the engine."""
    env = {**os.environ, "ITOT_ENGINE": "duckdb"}  # the flag, not the variable, picks spark
    result = subprocess.run(
        [sys.executable, "-m", "orchestration.cli", "build", "--landing", str(landing)]
        + ["--data", str(data), "--engine", "spark"],
        capture_output=True,
        text=True,
        timeout=3600,
        env=env,
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-3000:]
    assert result.stdout.splitlines()[0].endswith(" on spark"), result.stdout[:300]


@pytest.fixture(scope="module")
def spark_build(demo_build, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo landing zone built on Spark, once for all pytest-xdist workers."""
    landing, _ = demo_build
    data = shared_dir(tmp_path_factory, "spark_demo_data")
    build_once(landing, data, build_on_spark)
    return data


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
    """Different beyond the 4th decimal (relative for large values): the engines add doubles
    in different orders, and a figure rounded to 4 decimals may land on either side of a
    rounding boundary."""
    if a is None or b is None:
        return a is not b
    return abs(a - b) > FLOAT_TOLERANCE * max(1.0, abs(a))


def row_differences(duck: list, spark: list) -> list[str]:
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
    with duckdb.connect(str(snapshot), read_only=True) as con:
        names = {row[0] for row in con.execute("select table_name from duckdb_tables()").fetchall()}
    return names - NOT_FROM_THE_ENGINE


def test_spark_kpis_equal_truth_and_the_duckdb_build(demo_build, spark_build: Path) -> None:
    landing, duck_data = demo_build
    spark = read_kpis(paths.serving_path(spark_build))
    truth = json.loads((landing / "truth.json").read_text(encoding="utf-8"))
    assert_kpis_match_truth(spark, truth)
    duck = read_kpis(paths.serving_path(duck_data))
    assert set(spark) == set(duck)
    assert_kpis_equal(spark, duck)


def test_every_serving_table_has_the_same_rows_on_both_engines(
    demo_build, spark_build: Path
) -> None:
    _, duck_data = demo_build
    duck_snapshot, spark_snapshot = paths.serving_path(duck_data), paths.serving_path(spark_build)
    tables = mart_tables(duck_snapshot)
    assert tables == mart_tables(spark_snapshot)
    differing = {}
    for table in sorted(tables):
        duck, spark = table_rows(duck_snapshot, table), table_rows(spark_snapshot, table)
        digest = [hashlib.sha256(repr(rows).encode()).hexdigest() for rows in (duck, spark)]
        if digest[0] != digest[1] and (problems := row_differences(duck, spark)):
            differing[table] = problems
    assert not differing, differing
