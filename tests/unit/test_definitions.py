"""The Dagster code location: a refactor must not silently rename or drop an asset or check."""

from __future__ import annotations

import os
import time
from pathlib import Path

import dagster as dg
import pytest

from orchestration import paths
from orchestration.build import build_environment, progress_line
from orchestration.defs.dbt.assets import ItotDbtTranslator, dbt_environment, mart_model_names
from orchestration.defs.dbt.project import manifest_is_stale
from orchestration.defs.ingest_assets import ingest_metadata
from orchestration.ingest.run import IngestSummary
from tests.core_marts import CORE_MARTS

DATASETS = {
    "network": ["pm_counters", "alarm_events", "ves_events", "inventory_cells"],
    "customer": [
        "customers",
        "product_orders",
        "order_events",
        "trouble_tickets",
        "customer_bills",
        "billing_rates",
        "usage",
        "survey_responses",
        "service_orders",
        "tmf_events",
    ],
    "operations": ["process_events"],
}
NETWORK_AND_EXPERIENCE = {
    "int_network__cell_kpis_15min",
    "int_network__incidents",
    "dim_site",
    "fct_cell_quality_hourly",
    "fct_cell_quality_daily",
    "fct_incidents",
    "kpi_incidents_summary",
    "fct_customer_experience_daily",
    "kpi_experience_by_quality_band",
    "kpi_revenue_at_risk",
}
# the predict assets (docs/predictions.md): model -> the serving table it scores into
PREDICT = {
    "order_fallout_model": "srv_order_fallout_risk",
    "cell_anomaly_model": "srv_cell_anomalies",
    "churn_model": "srv_churn_risk",
}
PREDICT_MODELS = set(PREDICT)
STAGING = {
    "stg_network__pm_counters",
    "stg_network__alarm_events",
    "stg_network__cells",
    "stg_customer__customers",
    "stg_customer__product_orders",
    "stg_customer__order_events",
    "stg_customer__trouble_tickets",
    "stg_customer__customer_bills",
    "stg_customer__billing_rates",
    "stg_customer__usage_records",
    "stg_customer__survey_responses",
    "stg_operations__process_events",
}


@pytest.fixture(scope="module")
def defs() -> dg.Definitions:
    from orchestration.definitions import defs

    return defs


@pytest.fixture(scope="module")
def graph(defs: dg.Definitions):
    return defs.resolve_asset_graph()


def _keys(graph) -> set[str]:
    return {key.to_user_string() for key in graph.get_all_asset_keys()}


def test_every_expected_asset_exists(graph) -> None:
    bronze = {f"bronze_{d}" for datasets in DATASETS.values() for d in datasets}
    expected = {"landing_files", "serving_snapshot", "int_calendar__reporting_period"} | bronze
    assert expected | CORE_MARTS | STAGING | NETWORK_AND_EXPERIENCE <= _keys(graph)


def test_no_unexpected_assets(graph) -> None:
    bronze = {f"bronze_{d}" for datasets in DATASETS.values() for d in datasets}
    known = (
        {
            "landing_files",
            "serving_snapshot",
            "int_calendar__reporting_period",
            "data_quality_results",
        }
        | bronze
        | CORE_MARTS
        | STAGING
        # the editable reference tables (dbt seeds, docs/kpi_definitions.md)
        | {"automation_go_live", "autonomy_category_weights", "roi_assumptions"}
        | {"notice_templates", "decision_rights"}
        | {"counter_name_map", "experience_quality_bands"}
        | {"process_resource_types", "process_activity_map"}  # XES / OCEL logs' classification
        | PREDICT_MODELS
    )
    # New dbt models are welcome; a new key outside dbt must be added here on purpose.
    # srv_: small dashboard-specific marts (dbt_project/models/marts/serving/).
    dbt_prefixes = ("stg_", "int_", "dim_", "fct_", "kpi_", "agg_", "rpt_", "srv_")
    unexpected = {k for k in _keys(graph) - known if not k.startswith(dbt_prefixes)}
    assert not unexpected


def test_every_parsed_dataset_has_a_bronze_asset() -> None:
    """A dataset a parser can produce but no asset ingests would never reach the ledger."""
    from orchestration.sources import DATASETS as PARSED

    assert set(PARSED) == {d for datasets in DATASETS.values() for d in datasets}


def test_bronze_assets_are_grouped_by_domain_and_follow_landing_files(graph) -> None:
    for group, datasets in DATASETS.items():
        for dataset in datasets:
            node = graph.get(dg.AssetKey(f"bronze_{dataset}"))
            assert node.group_name == group
            assert dg.AssetKey("landing_files") in node.parent_keys


def test_dbt_sources_connect_to_bronze_assets(graph) -> None:
    parents = graph.get(dg.AssetKey("stg_network__pm_counters")).parent_keys
    assert parents == {dg.AssetKey("bronze_pm_counters")}
    parents = graph.get(dg.AssetKey("stg_customer__usage_records")).parent_keys
    assert parents == {dg.AssetKey("bronze_usage")}
    # no dbt source leaks in under its default two-part key
    assert not any(len(key.path) > 1 for key in graph.get_all_asset_keys())


def test_serving_snapshot_depends_on_every_mart(graph) -> None:
    parents = {k.to_user_string() for k in graph.get(dg.AssetKey("serving_snapshot")).parent_keys}
    assert parents >= CORE_MARTS


def test_models_learn_from_the_feature_marts_and_feed_the_snapshot(graph) -> None:
    snapshot_parents = graph.get(dg.AssetKey("serving_snapshot")).parent_keys
    for model, table in PREDICT.items():
        assert graph.get(dg.AssetKey(model)).group_name == "predict"
        assert dg.AssetKey(table) in snapshot_parents
        parents = {k.to_user_string() for k in graph.get(dg.AssetKey(table)).parent_keys}
        assert parents & {
            "fct_order_fallout_features",
            "fct_cell_hour_features",
            "fct_churn_features",
        }, table


def test_dbt_tests_are_asset_checks(graph) -> None:
    checks = {(c.asset_key.to_user_string(), c.name) for c in graph.asset_check_keys}
    assert ("kpi_headline", "exactly_one_row_kpi_headline_") in checks
    assert ("fct_product_orders", "unique_fct_product_orders_order_id") in checks
    assert any(a == "fct_product_orders" and n.startswith("accepted_values") for a, n in checks)
    assert len(checks) >= 40


def test_implicit_job_and_resources(defs: dg.Definitions) -> None:
    job = defs.resolve_implicit_global_asset_job_def()
    assert job is not None
    assert {"itot_paths", "dbt"} <= set(defs.resources or {})


def test_translator_maps_sources_to_bronze_and_models_to_their_name() -> None:
    translator = ItotDbtTranslator()
    source = {"resource_type": "source", "source_name": "network", "name": "pm_counters"}
    model = {"resource_type": "model", "name": "kpi_headline", "config": {"schema": "marts"}}
    assert translator.get_asset_key(source) == dg.AssetKey("bronze_pm_counters")
    assert translator.get_asset_key(model) == dg.AssetKey("kpi_headline")
    assert translator.get_group_name({"fqn": ["itot", "marts", "kpi_headline"]}) == "marts"


def test_mart_model_names_reads_the_marts_folder() -> None:
    manifest = {
        "nodes": {
            "model.itot.kpi_headline": {
                "resource_type": "model",
                "name": "kpi_headline",
                "fqn": ["itot", "marts", "kpi_headline"],
            },
            "model.itot.stg_x": {
                "resource_type": "model",
                "name": "stg_x",
                "fqn": ["itot", "staging", "x", "stg_x"],
            },
            "test.itot.t": {"resource_type": "test", "name": "t", "fqn": ["itot", "marts", "t"]},
        }
    }
    assert mart_model_names(manifest) == ["kpi_headline"]


def test_manifest_is_stale(tmp_path: Path) -> None:
    manifest, model = tmp_path / "manifest.json", tmp_path / "m.sql"
    model.write_text("select 1")
    assert manifest_is_stale(manifest, [model])
    manifest.write_text("{}")
    os.utime(model, (time.time() - 60, time.time() - 60))
    assert not manifest_is_stale(manifest, [model])
    os.utime(model, (time.time() + 60, time.time() + 60))
    assert manifest_is_stale(manifest, [model])


def test_paths_resolve_relative_values_against_the_repo_root(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.delenv(paths.DATA_ENV, raising=False)
    monkeypatch.delenv(paths.LANDING_ENV, raising=False)
    assert paths.data_dir() == paths.repo_root() / "data"
    assert paths.landing_dir() == paths.repo_root() / "seeds"
    monkeypatch.setenv(paths.DATA_ENV, "elsewhere/data")
    assert paths.data_dir() == paths.repo_root() / "elsewhere" / "data"
    monkeypatch.setenv(paths.DATA_ENV, str(tmp_path))
    assert paths.data_dir() == tmp_path.resolve()
    assert paths.serving_path(tmp_path) == tmp_path / "serving.duckdb"


def test_build_and_dbt_environments_are_absolute(tmp_path: Path) -> None:
    env = build_environment(tmp_path / "landing", tmp_path / "data")
    assert env[paths.DAGSTER_HOME_ENV] == str((tmp_path / "data" / "dagster").resolve())
    assert all(Path(value).is_absolute() for value in env.values())
    assert dbt_environment(tmp_path, tmp_path)[paths.DATA_ENV] == str(tmp_path)


def test_progress_lines() -> None:
    assert progress_line("STEP_START", "bronze_usage", None) == "  started  bronze_usage"
    assert progress_line("ASSET_MATERIALIZATION", "x", "kpi_headline") == "  done     kpi_headline"
    assert progress_line("STEP_OUTPUT", "x", None) is None


def test_ingest_metadata() -> None:
    summary = IngestSummary(
        dataset="usage",
        files=2,
        rows_in=10,
        rows_loaded=9,
        rows_quarantined=1,
        days=["2026-01-02", "2026-01-01"],
        reasons={"bad date": 1},
    )
    meta = ingest_metadata(summary)
    assert meta["rows_in"].value == 10 and meta["rows_quarantined"].value == 1
    assert meta["first_day"].value == "2026-01-01" and meta["last_day"].value == "2026-01-02"
    assert meta["reasons"].value == {"bad date": 1}


def test_dbt_gets_duckdb_limits_but_derives_its_spill_folder(monkeypatch, tmp_path: Path) -> None:
    """dbt's DuckDB runs with a memory limit and thread count; the spill folder follows the data
    folder (profiles.yml derives it from ITOT_DATA) unless ITOT_DUCKDB_TEMP_DIR is set."""
    from orchestration import duckdb_config

    monkeypatch.delenv(duckdb_config.MEMORY_LIMIT_ENV, raising=False)
    monkeypatch.delenv(duckdb_config.TEMP_DIR_ENV, raising=False)
    env = dbt_environment(tmp_path, tmp_path)
    assert env[duckdb_config.MEMORY_LIMIT_ENV] == duckdb_config.DEFAULT_MEMORY_LIMIT
    assert int(env[duckdb_config.THREADS_ENV]) >= 1
    assert duckdb_config.TEMP_DIR_ENV not in env
    monkeypatch.setenv(duckdb_config.TEMP_DIR_ENV, str(tmp_path / "spill"))
    assert dbt_environment(tmp_path, tmp_path)[duckdb_config.TEMP_DIR_ENV] == str(
        tmp_path / "spill"
    )
