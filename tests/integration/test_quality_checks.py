"""Data-quality checks in the real Dagster code location: on the demo build, and what an ERROR
holds back (only the failing dataset's dbt models)."""

from __future__ import annotations

import shutil
from pathlib import Path

import dagster as dg
import duckdb
import polars as pl
import pytest

from orchestration import paths
from orchestration.quality.results import read_results

pytestmark = pytest.mark.integration

SEEDS = paths.repo_root() / "seeds"


@pytest.fixture(scope="module")
def defs() -> dg.Definitions:
    from orchestration.definitions import defs

    return defs


def _bronze_keys(graph) -> set[dg.AssetKey]:
    return {
        k
        for k in graph.get_all_asset_keys()
        if k.path[-1].startswith("bronze_") and graph.get(k).is_materializable
    }


def test_every_bronze_asset_has_a_suite_and_a_freshness_check_after_the_results(defs) -> None:
    graph = defs.resolve_asset_graph()
    bronze = _bronze_keys(graph)
    assert len(bronze) >= 12
    checks = {(c.asset_key, c.name) for c in graph.asset_check_keys}
    for key in bronze:
        assert (key, "expectations") in checks and (key, "freshness") in checks, key
    (checks_def,) = [
        c for c in defs.asset_checks or [] if c.node_def.name == "bronze_quality_checks"
    ]
    specs = {(s.asset_key, s.name): s for s in checks_def.check_specs}
    # not Dagster-blocking (that would skip every dbt model): the dbt step holds back only the
    # failing dataset's models; the checks report what data_quality_results ran
    assert not any(s.blocking for s in specs.values())
    results = dg.AssetKey("data_quality_results")
    assert all(results in {d.asset_key for d in s.additional_deps} for s in specs.values())
    # the results asset comes after every bronze asset, and the quality mart after it
    assert bronze <= graph.get(dg.AssetKey("data_quality_results")).parent_keys
    assert (
        dg.AssetKey("fct_data_quality_results")
        in graph.get(dg.AssetKey("serving_snapshot")).parent_keys
    )


def test_the_quality_staging_model_reads_the_results_asset(defs) -> None:
    """The dbt source `quality.check_results` is the `data_quality_results` asset."""
    parents = defs.resolve_asset_graph().get(dg.AssetKey("stg_quality__check_results")).parent_keys
    assert parents == {dg.AssetKey("data_quality_results")}


def test_all_checks_pass_on_the_demo_and_reach_the_serving_snapshot(demo_build) -> None:
    _, data = demo_build
    results = read_results(data)
    bronze = {p.name for p in (data / "bronze").iterdir() if p.is_dir()}
    assert bronze <= set(results.get_column("dataset"))
    failed = results.filter(~pl.col("success"))
    assert failed.height == 0, failed.select("dataset", "expectation", "observed").rows()
    pm = results.filter(
        (pl.col("dataset") == "pm_counters") & (pl.col("check_name") == "expectations")
    )
    assert pm.get_column("rows_total")[0] > 1_000_000 and pm.get_column("sampled").all()

    with duckdb.connect(str(paths.serving_path(data)), read_only=True) as con:
        served = con.execute(
            "select dataset, check_name, count(*), count(*) filter (where not is_success) "
            "from fct_data_quality_results group by all"
        ).fetchall()
    assert {(d, c) for d, c, _, _ in served} >= {
        (d, c) for d in bronze for c in ("expectations", "freshness")
    }
    assert sum(n for *_, n in served) == 0
    assert sum(n for _, _, n, _ in served) == results.height


def _landing_with(tmp_path: Path, edit) -> Path:
    """A tiny landing zone: the demo's cell inventory only, edited by `edit(lines)`."""
    landing = tmp_path / "landing"
    (landing / "inventory").mkdir(parents=True)
    lines = (SEEDS / "inventory" / "cells.csv").read_text(encoding="utf-8").splitlines()
    (landing / "inventory" / "cells.csv").write_text(
        "\n".join(edit(lines)) + "\n", encoding="utf-8"
    )
    return landing


def _materialise(defs, landing: Path, data: Path, selection: list[str], monkeypatch):
    monkeypatch.setenv(paths.LANDING_ENV, str(landing))
    monkeypatch.setenv(paths.DATA_ENV, str(data))
    job = defs.resolve_implicit_global_asset_job_def()
    with dg.DagsterInstance.ephemeral() as instance:
        return job.execute_in_process(
            instance=instance,
            raise_on_error=False,
            asset_selection=[dg.AssetKey(k) for k in selection],
        )


def _evaluations(result) -> dict[tuple[str, str], dg.AssetCheckEvaluation]:
    return {
        (
            e.asset_check_evaluation_data.asset_key.to_user_string(),
            e.asset_check_evaluation_data.check_name,
        ): e.asset_check_evaluation_data
        for e in result.all_events
        if e.event_type_value == "ASSET_CHECK_EVALUATION"
    }


def _materialised(result) -> set[str]:
    return {e.asset_key.to_user_string() for e in result.all_events if e.is_step_materialization}


@pytest.mark.skipif(not (SEEDS / "inventory" / "cells.csv").exists(), reason="no demo seeds")
def test_an_error_holds_back_only_the_datasets_models(defs, tmp_path: Path, monkeypatch) -> None:
    """A duplicate cell_id in the inventory: its models are held back and, on this first build,
    built empty; the run succeeds and publishes the snapshot, which lists them as stale."""
    landing = _landing_with(tmp_path, lambda lines: [*lines, lines[1]])  # a duplicate cell_id
    data = tmp_path / "data"
    held = ["stg_network__cells", "dim_cell"]
    result = _materialise(
        defs,
        landing,
        data,
        ["landing_files", "bronze_inventory_cells", "data_quality_results", *held,
         "serving_snapshot"],
        monkeypatch,
    )  # fmt: skip

    assert result.success
    check = _evaluations(result)[("bronze_inventory_cells", "expectations")]
    assert not check.passed and check.severity == dg.AssetCheckSeverity.ERROR
    assert check.metadata["blocked"].value.startswith(
        "inventory_cells blocked by expectations: expect_compound_columns_to_be_unique(cell_id,"
    )
    assert set(held) <= set(check.metadata["held_back_models"].value)
    stale_events = {
        e.asset_key.to_user_string(): e.step_materialization_data.materialization.metadata
        for e in result.all_events
        if e.is_step_materialization
    }
    assert all(stale_events[m]["stale"].value for m in held)
    assert "serving_snapshot" in stale_events  # published all the same
    with duckdb.connect(str(paths.serving_path(data)), read_only=True) as con:
        assert con.execute("select count(*) from dim_cell").fetchone()[0] == 0  # empty, opens
        stale = con.execute("select model, kept from stale_models order by model").fetchall()
    assert stale == [(m, "empty: never built") for m in sorted(held)]
    # the failure is on disk for the mart and the dashboards
    records = read_results(data).filter(~pl.col("success"))
    assert sorted(records.select("expectation", "severity").rows()) == [
        ("expect_column_values_to_be_unique(cell_id: across deliveries)", "warning"),
        ("expect_column_values_to_be_unique(meas_obj_ldn: across deliveries)", "warning"),
        (
            "expect_compound_columns_to_be_unique(cell_id,source_file: within one delivered file)",
            "error",
        ),
        (
            "expect_compound_columns_to_be_unique(meas_obj_ldn,source_file: within one delivered "
            "file)",
            "error",
        ),
    ]


@pytest.mark.skipif(not (SEEDS / "inventory" / "cells.csv").exists(), reason="no demo seeds")
def test_a_warning_shows_and_lets_the_run_go_on(defs, tmp_path: Path, monkeypatch) -> None:
    landing = _landing_with(
        tmp_path, lambda lines: [lines[0], lines[1].replace("Ericsson", "Acme"), *lines[2:]]
    )
    data = tmp_path / "data"
    result = _materialise(
        defs,
        landing,
        data,
        ["landing_files", "bronze_inventory_cells", "data_quality_results"],
        monkeypatch,
    )

    assert result.success
    check = _evaluations(result)[("bronze_inventory_cells", "expectations")]
    assert not check.passed and check.severity == dg.AssetCheckSeverity.WARN
    assert "data_quality_results" in _materialised(result)
    assert read_results(data).filter(~pl.col("success")).get_column("expectation").to_list() == [
        "expect_column_values_to_be_in_set(vendor)"
    ]
    shutil.rmtree(data, ignore_errors=True)
