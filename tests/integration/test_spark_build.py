"""The demo operator built on Spark (`itot build --engine spark`, issue 17): the same models
give the same KPIs and the same serving tables as on DuckDB.

One Spark build per test session (a local pyspark starts once, inside the one `dbt build` the
build runs; its dbt unit tests, data tests and contracts run on Spark too), compared with the
shared DuckDB demo build (`tests/engine_compare.py`: every mart in the serving snapshot has the
same rows on both engines, floats within 1e-4).

The Spark build starts from the DuckDB build's ingest (its bronze, ledger, quarantine, landing
scan and check results, copied): ingest is the same Python on both engines (nothing in
`orchestration/ingest` or the parsers reads the engine), so `itot build --engine spark` finds
every landing file already loaded and the test spends its time on what differs: the dbt models,
the predictions read from Spark's marts, and the serving snapshot. Nothing the engine writes is
copied (no warehouse, snapshot, models, predictions, dbt test results, build state or run
history), so every table compared below is Spark's own."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from orchestration import paths
from orchestration.serving import read_kpis
from tests.conftest import build_once, shared_dir
from tests.engine_compare import differing_marts, itot_build, mart_tables
from tests.kpi_truth import assert_kpis_equal, assert_kpis_match_truth

pytestmark = [pytest.mark.integration, pytest.mark.seconds(600)]


def build_on_spark(landing: Path, data: Path) -> None:
    """`itot build --engine spark` (the real command), which must succeed."""
    result = itot_build(landing, data, "spark")
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-3000:]


# What ingest wrote in the DuckDB demo build: the Spark build starts from it (module docstring).
INGESTED = (paths.BRONZE_DIR, paths.LEDGER_DIR, paths.QUARANTINE_DIR, paths.QUALITY_DIR)


def copy_ingest(source: Path, data: Path) -> None:
    """Copy `source`'s ingest (bronze, ledger, quarantine, check results, landing scan) into a
    fresh `data`; the dbt test results under quality/ are the engine's and stay behind."""
    for name in INGESTED:
        if (source / name).is_dir():
            shutil.copytree(source / name, data / name, ignore=shutil.ignore_patterns("*.tmp-*"))
    shutil.rmtree(paths.quality_dir(data) / "dbt", ignore_errors=True)
    shutil.copy2(source / paths.LANDING_FILES_FILE, data / paths.LANDING_FILES_FILE)


@pytest.fixture(scope="module")
def spark_build(demo_build, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo landing zone built on Spark from the DuckDB build's ingest, once for all
    pytest-xdist workers."""
    landing, duck_data = demo_build
    data = shared_dir(tmp_path_factory, "spark_demo_data")

    def build(landing: Path, data: Path) -> None:
        shutil.rmtree(data, ignore_errors=True)  # a failed try's leftovers
        data.mkdir(parents=True)
        copy_ingest(duck_data, data)
        build_on_spark(landing, data)

    build_once(landing, data, build)
    return data


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
    assert mart_tables(paths.serving_path(duck_data)) == mart_tables(
        paths.serving_path(spark_build)
    )
    differing = differing_marts(duck_data, spark_build)
    assert not differing, differing
