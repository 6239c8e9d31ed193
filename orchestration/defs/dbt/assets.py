"""dbt models as Dagster assets; dbt tests become asset checks.

A bronze dataset blocked by its `expectations` check (`orchestration.quality.blocking`) holds back
only the models downstream of its dbt source: `dbt build` runs with `--exclude
source:<source>.<table>+`. A held-back model keeps its last good table in the warehouse (built
empty, `dbt run --empty`, when it never existed, so the dashboards still open); the step reports
it with `stale` metadata and writes the list to `$ITOT_DATA/stale_models.parquet`, which the
serving snapshot publishes.

A model none of whose sources changed since the last complete build, of the same project and
settings, is not rebuilt (`orchestration.transform.unchanged_models`): its table is already what
a rebuild would write. The step reports it with `unchanged` metadata. A backfill launched from
the UI rebuilds everything it selects.
"""

import json
import os
import time
from collections.abc import Iterable, Iterator, Mapping
from functools import cache
from pathlib import Path
from typing import Any

import dagster as dg
import duckdb
from dagster_dbt import DagsterDbtTranslator, DbtCliResource, dbt_assets

from orchestration import engine, paths
from orchestration.defs.dbt.project import dbt_project, ensure_manifest, put_dbt_on_path
from orchestration.defs.ingest_assets import bronze_asset_key
from orchestration.defs.partitions import BACKFILL_TAG, day_vars, run_days
from orchestration.defs.resources import ItotPaths
from orchestration.duckdb_config import TEMP_DIR_ENV, duckdb_environment
from orchestration.quality.blocking import (
    Block,
    blocked_datasets,
    exclude_arguments,
    held_back_models,
    stale_frame,
    write_stale_models,
)
from orchestration.quality.dbt_tests import (
    dbt_test_results_frame,
    latest_result_per_test,
    read_dbt_test_results,
    write_dbt_test_results,
)
from orchestration.quality.results import read_results
from orchestration.transform.changed_days import (
    last_build_folder,
    last_build_project,
    last_build_started,
    plain_build_days,
    record_build_started,
)
from orchestration.transform.day_ranges import (
    RANGE_ARGUMENTS,
    first_build_ranges,
    incremental_models,
)
from orchestration.transform.unchanged_models import (
    changed_sources,
    kept_views,
    project_fingerprint,
    unchanged_models,
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
    """The env vars dbt resolves its engine (target), warehouse and bronze paths from, as
    absolute paths, and
    its DuckDB memory limit and threads (`orchestration.duckdb_config`). The spill folder is
    left out unless set: the profile derives it from ITOT_DATA, so a later build of another
    data folder in the same process does not inherit this one's."""
    limits = {
        name: value
        for name, value in duckdb_environment(data_dir).items()
        if name != TEMP_DIR_ENV or name in os.environ
    }
    return {
        paths.DATA_ENV: str(data_dir),
        paths.LANDING_ENV: str(landing_dir),
        engine.ENGINE_ENV: engine.current_engine(),  # the dbt target (profiles.yml)
        **limits,
    }


@cache
def load_manifest() -> dict[str, Any]:
    """The parsed dbt manifest (prepared first if missing or stale)."""
    put_dbt_on_path()  # under `dagster dev`, prepare_if_dev runs dbt parse from PATH
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


def present_relations(warehouse: Path, on: str = "duckdb") -> set[tuple[str, str]]:
    """The (schema, name) of every relation the warehouse holds: the DuckDB file's tables and
    views, or the folders of Spark's managed tables (`<warehouse>/<schema>.db/<table>/`)."""
    if not warehouse.exists():
        return set()
    if engine.checked_engine(on) == "spark":
        return {
            (schema.name.removesuffix(".db"), table.name)
            for schema in warehouse.glob("*.db")
            for table in schema.iterdir()
            if table.is_dir()
        }
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return {
            (schema, name)
            for schema, name in con.execute(
                "select table_schema, table_name from information_schema.tables"
            ).fetchall()
        }


def missing_models(
    warehouse: Path, manifest: Mapping[str, Any], models: Iterable[str], on: str = "duckdb"
) -> list[str]:
    """The `models` (or seeds) whose relation (schema, alias) the warehouse (of engine `on`)
    does not hold."""
    wanted = set(models)
    nodes = [
        n
        for n in manifest.get("nodes", {}).values()
        if n.get("resource_type") in ("model", "seed") and n["name"] in wanted
    ]
    present = present_relations(warehouse, on)
    return sorted(
        n["name"] for n in nodes if (n["schema"], n.get("alias") or n["name"]) not in present
    )


def _hold_back(
    context: dg.AssetExecutionContext,
    dbt: DbtCliResource,
    data: Path,
    blocks: list[Block],
    held: Mapping[str, str],
    vars_: list[str],
) -> Iterator[dg.MaterializeResult]:
    """Build never-built held-back models empty, record every held-back model as stale, and
    report each one selected in this run (its table unchanged: the last good version)."""
    selected = {k.to_user_string() for k in context.selected_asset_keys}
    mine = {m: d for m, d in held.items() if m in selected}
    on = engine.current_engine()
    empty = missing_models(engine.warehouse_location(data, on), load_manifest(), mine, on)
    if empty:
        context.log.warning(f"building {len(empty)} held-back models empty (never built before)")
        dbt.cli(["run", "--empty", "--select", " ".join(empty), *vars_]).wait()
    frame = stale_frame(mine, blocks, empty)
    write_stale_models(data, frame)
    for row in frame.iter_rows(named=True):
        yield dg.MaterializeResult(
            asset_key=dg.AssetKey(row["model"]),
            metadata={
                "stale": dg.MetadataValue.bool(True),
                "kept": dg.MetadataValue.text(row["kept"]),
                "blocked_by": dg.MetadataValue.text(row["reason"]),
            },
        )


def models_to_keep(
    data: Path, manifest: Mapping[str, Any], fingerprint: str, backfill: bool
) -> list[str]:
    """The models and seeds this build need not rebuild, parents first (see the module
    docstring): none on a backfill, without a record of a complete build of this project, or
    when the warehouse lacks one of them."""
    since = last_build_started(data)
    if backfill or since is None or last_build_project(data) != fingerprint:
        return []
    keep = unchanged_models(manifest, changed_sources(manifest, data, since))
    # a table gone from the warehouse: rebuild everything (its children would be kept otherwise)
    on = engine.current_engine()
    return [] if missing_models(engine.warehouse_location(data, on), manifest, keep, on) else keep


def _repoint_views(dbt: DbtCliResource, data: Path, kept: list[str], vars_: list[str]) -> None:
    """Re-create the kept views when the last build ran in another folder (this one is a copy):
    a view's query names the folder it reads (`orchestration.transform.unchanged_models`)."""
    views = kept_views(load_manifest(), kept)
    if views and last_build_folder(data) != str(data.resolve()):
        dbt.cli(["run", "--select", " ".join(views), *vars_]).wait()


def _report_unchanged(
    context: dg.AssetExecutionContext, kept: Iterable[str], held: Mapping[str, str]
) -> Iterator[dg.MaterializeResult]:
    """A materialisation, marked `unchanged`, for each kept model or seed this run selected
    (`kept` in the order they are reported: parents first)."""
    selected = {k.to_user_string() for k in context.selected_asset_keys}
    for name in kept:
        if name in selected and name not in held:
            yield dg.MaterializeResult(
                asset_key=dg.AssetKey(name),
                metadata={"unchanged": dg.MetadataValue.bool(True)},
            )


def _with_excluded(exclude: list[str], names: Iterable[str]) -> list[str]:
    """`exclude` (`--exclude SELECTORS` or nothing) with the model names added."""
    selectors = [*exclude[1:], *names]
    return ["--exclude", " ".join(selectors)] if selectors else []


def _build_in_day_ranges(
    context: dg.AssetExecutionContext, dbt: DbtCliResource, data: Path
) -> None:
    """On a first build of a large operator, build the per-day incremental models a range of
    days at a time first (`orchestration.transform.day_ranges`)."""
    models = incremental_models(load_manifest())
    on = engine.current_engine()
    missing = missing_models(engine.warehouse_location(data, on), load_manifest(), models, on)
    ranges = first_build_ranges(data, missing, models)
    for first, last in ranges:
        context.log.info(f"incremental models: days {first} to {last} ({len(ranges)} ranges)")
        dbt.cli([*RANGE_ARGUMENTS, *day_vars((first, last))]).wait()


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
        blocks = blocked_datasets(read_results(data))
        held = held_back_models(load_manifest(), [b.dataset for b in blocks])
        for block in blocks:
            context.log.warning(f"{block.line}: holds back {len(held)} models")
        exclude = exclude_arguments(load_manifest(), [b.dataset for b in blocks])
        fingerprint = project_fingerprint(load_manifest(), os.environ)
        kept = models_to_keep(data, load_manifest(), fingerprint, BACKFILL_TAG in context.run.tags)
        if kept:
            context.log.info(f"{len(kept)} models and seeds unchanged since the last build: kept")
        started = time.time()
        if plain and not blocks:
            _build_in_day_ranges(context, dbt, data)
        _repoint_views(dbt, data, kept, vars_)
        # kept nodes first: their parents are kept too, and Dagster wants parents reported first
        yield from _report_unchanged(context, kept, held)
        invocation = dbt.cli(["build", *vars_, *_with_excluded(exclude, kept)], context=context)
        try:
            yield from invocation.stream()
        finally:
            # Passed or failed, the Data health page shows what the latest build's tests said.
            _store_test_results(invocation, data)
        yield from _hold_back(context, dbt, data, blocks, held, vars_)
        # Held-back models did not see their bronze changes: the next build must still rebuild
        # those days, so this build does not count as the last complete one.
        if plain and invocation.is_successful() and not held:
            record_build_started(data, started, fingerprint)

    return itot_dbt_models
