"""dbt models as Dagster assets; dbt tests become asset checks."""

import json
import os
import time
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DbtCliResource, dbt_assets

from orchestration import paths
from orchestration.defs.dbt.changed_days import plain_build_days, record_build_started
from orchestration.defs.dbt.project import dbt_project, ensure_manifest
from orchestration.defs.ingest_assets import bronze_asset_key
from orchestration.defs.partitions import day_vars, run_days
from orchestration.defs.resources import ItotPaths
from orchestration.duckdb_config import TEMP_DIR_ENV, duckdb_environment
from orchestration.quality.dbt_tests import (
    dbt_test_results_frame,
    latest_result_per_test,
    read_dbt_test_results,
    write_dbt_test_results,
)

MARTS_FOLDER = "marts"


class ItotDbtTranslator(DagsterDbtTranslator):
    """Sources are the bronze assets (`bronze_<table>`); models keep their own name as key and
    are grouped by layer (staging, intermediate, marts)."""

    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> dg.AssetKey:
        if dbt_resource_props["resource_type"] == "source":
            declared = dbt_resource_props.get("meta", {}).get("dagster", {}).get("asset_key")
            if declared:  # the source names its producing asset (e.g. data_quality_results)
                return dg.AssetKey(declared)
            return bronze_asset_key(dbt_resource_props["name"])
        return dg.AssetKey(dbt_resource_props["name"])

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        fqn = dbt_resource_props.get("fqn", [])
        return fqn[1] if len(fqn) > 2 else "dbt"


def mart_model_names(manifest: Mapping[str, Any]) -> list[str]:
    """Names of the dbt models in `models/marts/`: the tables the serving snapshot copies."""
    return sorted(
        node["name"]
        for node in manifest.get("nodes", {}).values()
        if node.get("resource_type") == "model"
        and len(node.get("fqn", [])) > 2
        and node["fqn"][1] == MARTS_FOLDER
    )


def dbt_environment(data_dir: Path, landing_dir: Path) -> dict[str, str]:
    """The env vars dbt resolves its warehouse and bronze paths from, as absolute paths, and
    its DuckDB memory limit and threads (`orchestration.duckdb_config`). The spill folder is
    left out unless set: the profile derives it from ITOT_DATA, so a later build of another
    data folder in the same process does not inherit this one's."""
    limits = {
        name: value
        for name, value in duckdb_environment(data_dir).items()
        if name != TEMP_DIR_ENV or name in os.environ
    }
    return {paths.DATA_ENV: str(data_dir), paths.LANDING_ENV: str(landing_dir), **limits}


@cache
def load_manifest() -> dict[str, Any]:
    """The parsed dbt manifest (prepared first if missing or stale)."""
    dbt_project.prepare_if_dev()
    return json.loads(ensure_manifest(dbt_project).read_text(encoding="utf-8"))


def _store_test_results(invocation: Any, data: Path) -> None:
    try:
        run_results = invocation.get_artifact("run_results.json")
    except (FileNotFoundError, OSError, ValueError):
        return  # dbt stopped before writing its results: nothing to record
    manifest = load_manifest()
    tests = [uid for uid in manifest.get("nodes", {}) if uid.startswith("test.")]
    latest = dbt_test_results_frame(run_results, manifest)
    write_dbt_test_results(data, latest_result_per_test(read_dbt_test_results(data), latest, tests))


@cache
def build_dbt_assets() -> dg.AssetsDefinition:
    @dbt_assets(
        manifest=load_manifest(),
        project=dbt_project,
        dagster_dbt_translator=ItotDbtTranslator(),
        name="itot_dbt_models",
    )
    def itot_dbt_models(
        context: dg.AssetExecutionContext, dbt: DbtCliResource, itot_paths: ItotPaths
    ):
        data = itot_paths.data_dir()
        data.mkdir(parents=True, exist_ok=True)
        # dbt runs in a subprocess that inherits this environment; absolute paths make the
        # warehouse and bronze locations independent of dbt's working directory.
        os.environ.update(dbt_environment(data, itot_paths.landing_dir()))
        # A daily partition run (or a run of a backfill of days) rebuilds its days
        # (from_day/to_day); a run of everything rebuilds, in the per-day incremental models,
        # the days whose bronze changed since the last such run (late or corrected files) and
        # every new day.
        days = run_days(context.instance, context.run.tags)
        vars_ = day_vars(days)
        plain = days is None
        if days is not None:
            context.log.info(f"dbt builds days {days[0]} to {days[1]}")
        else:
            changed = plain_build_days(data)
            if changed is not None:
                context.log.info(f"incremental models rebuild days {changed[0]} to {changed[1]}")
            vars_ = day_vars(changed)
        started = time.time()
        invocation = dbt.cli(["build", *vars_], context=context)
        try:
            yield from invocation.stream()
        finally:
            # Passed or failed, the Data health page shows what the latest build's tests said.
            _store_test_results(invocation, data)
        if plain and invocation.is_successful():
            record_build_started(data, started)

    return itot_dbt_models
