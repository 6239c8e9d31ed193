"""The large per-cell facts rebuild by day: a new day costs a day's work, a re-run day is identical.

Real dbt over the demo's bronze, in a warehouse of its own: build without the last day's PM
file, add it and run again (only that day is built), rebuild one middle day with the from_day /
to_day vars (only that day changes, to identical rows), and compare with a full refresh.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import polars as pl
import pytest
from polars.testing import assert_frame_equal

from orchestration import paths

pytestmark = pytest.mark.integration

DBT_DIR = paths.repo_root() / "dbt_project"
INCREMENTAL = ("int_network__cell_kpis_15min", "fct_cell_quality_hourly")
DAY_COLUMN = {"int_network__cell_kpis_15min": "period_date", "fct_cell_quality_hourly": "date_day"}
SCHEMA = {"int_network__cell_kpis_15min": "intermediate", "fct_cell_quality_hourly": "marts"}
MARKER = "dbt_invocation_id"
DAYS = 7  # a week of the demo keeps each dbt run short


DBT = str(Path(sys.executable).parent / "dbt")


class Dbt:
    """The dbt CLI (a process of its own: dbt-duckdb keeps its connection open in process), with
    its own data folder, target and log paths, never the repo's."""

    def __init__(self, data: Path, work: Path) -> None:
        self.data = data
        self.target = work / "target"
        self.env = {**os.environ, paths.DATA_ENV: str(data)}
        self.common = [
            "--project-dir",
            str(DBT_DIR),
            "--profiles-dir",
            str(DBT_DIR),
            "--target-path",
            str(work / "target"),
            "--log-path",
            str(work / "logs"),
        ]

    def call(self, *args: str) -> subprocess.CompletedProcess:
        command, rest = args[0], list(args[1:])
        return subprocess.run(
            [DBT, command, *self.common, *rest],
            env=self.env,
            capture_output=True,
            text=True,
            check=False,
        )

    def invoke(self, *args: str) -> str:
        """Run a dbt command; return its invocation id (run_results.json)."""
        done = self.call(*args)
        assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
        results = json.loads((self.target / "run_results.json").read_text(encoding="utf-8"))
        return results["metadata"]["invocation_id"]

    def run(self, *extra: str) -> dict[str, int]:
        """Run the incremental models and their parents; return the rows each model's table got
        from this run (rows carrying its invocation id: dbt-duckdb reports no rows_affected)."""
        invocation = self.invoke("run", "--select", "+fct_cell_quality_hourly", *extra)
        return {m: self.table(m).filter(pl.col(MARKER) == invocation).height for m in INCREMENTAL}

    def table(self, model: str) -> pl.DataFrame:
        with duckdb.connect(str(paths.warehouse_path(self.data)), read_only=True) as con:
            return con.sql(f"select * from {SCHEMA[model]}.{model} order by all").pl()


def _per_day(frame: pl.DataFrame, model: str) -> dict:
    key = DAY_COLUMN[model]
    rows = frame.group_by(key).agg(pl.len().alias("rows"), pl.col(MARKER).unique().alias("ids"))
    return {r[key]: (r["rows"], tuple(sorted(r["ids"]))) for r in rows.iter_rows(named=True)}


@pytest.fixture(scope="module")
def bronze(demo_build, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the demo's cell inventory and its first DAYS days of PM counters in bronze."""
    _, data = demo_build
    copy = tmp_path_factory.mktemp("incremental_bronze")
    shutil.copytree(data / "bronze" / "inventory_cells", copy / "bronze" / "inventory_cells")
    pm = data / "bronze" / "pm_counters"
    for day in sorted(pm.glob("day=*"))[:DAYS]:
        shutil.copytree(day, copy / "bronze" / "pm_counters" / day.name)
    for extra in pm.glob("*.parquet"):  # the dataset's empty schema file, when there is one
        shutil.copy2(extra, copy / "bronze" / "pm_counters" / extra.name)
    return copy


def test_a_new_day_builds_only_that_day_and_equals_a_full_refresh(
    bronze: Path, tmp_path: Path
) -> None:
    data = tmp_path / "data"
    shutil.copytree(bronze, data)
    days = sorted(p.name for p in (data / "bronze" / "pm_counters").glob("day=*"))
    last = days[-1]
    held_back = tmp_path / last
    shutil.move(data / "bronze" / "pm_counters" / last, held_back)
    dbt = Dbt(data, tmp_path)
    dbt.invoke("seed", "--select", "counter_name_map")

    # first run: a full build of every day but the last
    dbt.run()
    before = {m: dbt.table(m) for m in INCREMENTAL}
    last_day = pl.Series([last.removeprefix("day=")]).str.to_date()[0]
    for model in INCREMENTAL:
        assert last_day not in set(before[model][DAY_COLUMN[model]])

    # the last day's PM file arrives: the next run builds that day and nothing else
    shutil.move(held_back, data / "bronze" / "pm_counters" / last)
    affected = dbt.run()
    after = {m: dbt.table(m) for m in INCREMENTAL}
    cells = after["int_network__cell_kpis_15min"]["cell_id"].n_unique()
    assert affected["int_network__cell_kpis_15min"] == cells * 96
    assert affected["fct_cell_quality_hourly"] == cells * 24
    for model in INCREMENTAL:
        old, new = _per_day(before[model], model), _per_day(after[model], model)
        assert set(new) == set(old) | {last_day}
        assert {d: new[d] for d in old} == old, f"{model}: an old day was rebuilt"
        assert new[last_day][1] != next(iter(old.values()))[1], "the new day has the new run's id"

    # the same data built from scratch gives the same rows
    dbt.run("--full-refresh")
    for model in INCREMENTAL:
        full = dbt.table(model)
        assert_frame_equal(full.drop(MARKER), after[model].drop(MARKER), check_exact=True)

    # a Dagster partition re-run: exactly that day is rebuilt, to identical rows
    middle = days[len(days) // 2].removeprefix("day=")
    before_rerun = {m: dbt.table(m) for m in INCREMENTAL}
    affected = dbt.run("--vars", f"{{from_day: '{middle}', to_day: '{middle}'}}")
    assert affected["int_network__cell_kpis_15min"] == cells * 96
    middle_day = pl.Series([middle]).str.to_date()[0]
    for model in INCREMENTAL:
        rerun = dbt.table(model)
        assert_frame_equal(rerun.drop(MARKER), before_rerun[model].drop(MARKER), check_exact=True)
        old, new = _per_day(before_rerun[model], model), _per_day(rerun, model)
        changed = {d for d in new if new[d][1] != old[d][1]}
        assert changed == {middle_day}, f"{model}: rebuilt {sorted(changed)}"
        assert new[middle_day][0] == old[middle_day][0]


def test_a_bad_day_var_is_refused_by_name(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    dbt = Dbt(tmp_path / "data", tmp_path)
    done = dbt.call(
        "compile", "--select", "int_network__cell_kpis_15min", "--vars", "{from_day: '2026-13'}"
    )
    assert done.returncode != 0
    assert "from_day/to_day must be YYYY-MM-DD, got '2026-13'" in done.stdout + done.stderr
