"""A blocked dataset and empty datasets on Spark behave as on DuckDB (issue 17).

The smallest landing zone that proves both: the demo's cell inventory, its survey responses, one
day of PM counters (the reporting period comes from PM days or orders), and one VES fault file
whose two events share their key (a whole-dataset ERROR, `tests/fault_files.py`). Every other
bronze dataset (customers, bills, usage, orders, tickets, process log, ...) is empty: its folder
holds only the zero-row `schema.parquet`, which Spark must see (a file name starting with `_` is
hidden from Spark, which failed such a build before). Built once with `itot build --engine
duckdb` and once with `--engine spark`: both exit 2 with the same BLOCKED line last, keep the
same alarm models stale (built empty, never built before), and publish marts with the same rows;
the other sources go on (surveys, cells and PM counters reach their marts).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from orchestration import paths
from orchestration.cli import BLOCKED_EXIT_CODE
from tests.conftest import SEEDS
from tests.engine_compare import differing_marts, itot_build
from tests.fault_files import ves_same_key_twice

pytestmark = [pytest.mark.integration, pytest.mark.seconds(400)]
ENGINES = ("duckdb", "spark")
PM_DAY = "A20260101.0000+0000-20260102.0000+0000_ENM-01.xml.gz"


def small_landing(landing: Path) -> Path:
    """Cells, surveys, one PM day and the blocking VES file; nothing else."""
    for folder in ("inventory", "surveys"):
        shutil.copytree(SEEDS / folder, landing / folder)
    (landing / "pm" / "ENM-01").mkdir(parents=True)
    shutil.copy2(SEEDS / "pm" / "ENM-01" / PM_DAY, landing / "pm" / "ENM-01" / PM_DAY)
    (landing / "alarms").mkdir()
    template = sorted((SEEDS / "alarms").glob("*.json"))[0]
    (landing / "alarms" / "ves_faults_same_key.json").write_text(
        ves_same_key_twice(template), encoding="utf-8"
    )
    return landing


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """{engine: (data folder, completed `itot build`)} for the small landing zone."""
    root = tmp_path_factory.mktemp("spark_blocked")
    landing = small_landing(root / "landing")
    return {e: (root / e, itot_build(landing, root / e, e)) for e in ENGINES}


def _stale(data: Path) -> set[tuple]:
    with duckdb.connect(str(paths.serving_path(data)), read_only=True) as con:
        return set(con.execute("select model, dataset, kept, reason from stale_models").fetchall())


def _rows(data: Path, table: str) -> int:
    with duckdb.connect(str(paths.serving_path(data)), read_only=True) as con:
        return con.execute(f'select count(*) from "{table}"').fetchone()[0]


def test_both_engines_exit_2_with_the_same_block_last(builds) -> None:
    last = {}
    for engine, (_, result) in builds.items():
        assert result.returncode == BLOCKED_EXIT_CODE, result.stdout[-2000:] + result.stderr[-3000:]
        # the block is the build's last word, on stderr (stdout ends with the run summary)
        last[engine] = result.stderr.strip().splitlines()[-1]
    assert last["spark"].startswith("BLOCKED: alarm_events blocked by expectations: "), last
    assert last["spark"] == last["duckdb"]


def test_the_same_alarm_models_are_kept_stale(builds) -> None:
    stale = {engine: _stale(data) for engine, (data, _) in builds.items()}
    assert stale["spark"] == stale["duckdb"]
    assert {"stg_network__alarm_events", "kpi_incidents_summary"} <= {m for m, *_ in stale["spark"]}
    assert {dataset for _, dataset, *_ in stale["spark"]} == {"alarm_events"}


def test_empty_datasets_build_empty_marts_and_the_other_sources_go_on(builds) -> None:
    spark, _ = builds["spark"]
    bronze = paths.bronze_dir(spark)
    assert [p.name for p in (bronze / "customers").iterdir()] == [paths.SCHEMA_FILE]
    assert _rows(spark, "dim_customer") == 0 and _rows(spark, "fct_usage_daily") == 0
    for mart in ("fct_survey_responses", "dim_cell", "fct_cell_quality_hourly"):
        assert _rows(spark, mart) > 0, mart


def test_every_mart_has_the_same_rows_on_both_engines(builds) -> None:
    (duck, _), (spark, _) = builds["duckdb"], builds["spark"]
    differing = differing_marts(duck, spark)
    assert not differing, differing
