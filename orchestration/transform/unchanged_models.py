"""Which dbt models a build need not rebuild: nothing they read changed since the last build.

A model's table is a function of its SQL (and the macros, seeds and configuration of the project),
the dbt vars and `ITOT_*` settings, and the rows of the sources upstream of it. After a complete
build (`changed_days.record_build_started`) the next build of the same project and settings
rebuilds only the models downstream of a source that changed since then, with their tests; the
other tables are already what a rebuild would write. A source changed when a file of one of its
day folders (`bronze/<dataset>/day=*/`, or `quality/` for the check results) was written or
removed after the last complete build started: ingest rewrites only the files it ingested again
(`orchestration.ingest.unchanged`), so a new day changes the sources its files feed, not the
period-long ones.

A change of the project (any model, macro, seed or config; `project_fingerprint`) or of the
settings rebuilds everything, as does a build with no record. Seeds are kept with the models
(they are in the fingerprint).

Where the data folder and landing zone are is not a setting on DuckDB: a copy of a built data
folder (mtimes kept, as `cp -a` and `shutil.copytree` keep them) builds on as the original would,
instead of rebuilding everything once. A table holds rows, not paths; a view holds the query
that names the folder it reads, so a build in a folder other than the recorded one re-creates
the kept views first (`kept_views`), and a view of a copied folder reads the copy. On Spark the
metastore names each table's folder, so the paths stay in the fingerprint and a moved folder
rebuilds everything.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from orchestration import engine, paths

SETTINGS_PREFIX = "ITOT_"
# Settings that change how fast dbt runs, never what it writes.
RESOURCE_SETTINGS = frozenset(
    {"ITOT_DUCKDB_MEMORY_LIMIT", "ITOT_DUCKDB_THREADS", "ITOT_DUCKDB_TEMP_DIR"}
)
# Where the data folder and landing zone are: not what a DuckDB table holds (see the docstring).
PATH_SETTINGS = frozenset({paths.DATA_ENV, paths.LANDING_ENV})


def project_fingerprint(manifest: Mapping[str, Any], environ: Mapping[str, str]) -> str:
    """SHA-256 of what decides the tables besides the sources' rows: every node's checksum and
    config, every macro's SQL, every source's definition, and the `ITOT_*` settings (on DuckDB
    without the data and landing folders' paths)."""
    ignored = RESOURCE_SETTINGS
    if (environ.get(engine.ENGINE_ENV) or engine.DEFAULT_ENGINE) == "duckdb":
        ignored = ignored | PATH_SETTINGS
    nodes = {
        uid: [node.get("checksum"), node.get("config"), node.get("depends_on")]
        for uid, node in manifest.get("nodes", {}).items()
    }
    macros = {uid: m.get("macro_sql") for uid, m in manifest.get("macros", {}).items()}
    sources = {uid: s.get("config") for uid, s in manifest.get("sources", {}).items()}
    settings = {
        k: v for k, v in environ.items() if k.startswith(SETTINGS_PREFIX) and k not in ignored
    }
    text = json.dumps([nodes, macros, sources, settings], sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def source_folder(data_dir: Path, source: Mapping[str, Any]) -> Path:
    """Where a dbt source's rows live: `quality/` for the check results, else the bronze
    dataset of the source's name."""
    if source.get("source_name") == "quality":
        return paths.quality_dir(data_dir)
    return paths.bronze_dir(data_dir) / source["name"]


def changed_since(folder: Path, since: float) -> bool:
    """Whether a `day=*` folder of `folder` (or `folder`'s own Parquet files, for a flat
    folder) was written, or had a file added or removed, at or after `since` (epoch s).
    The dataset's `schema.parquet`, rewritten by every ingest, does not count."""
    if not folder.is_dir():
        return False
    for entry in os.scandir(folder):
        if entry.is_dir() and entry.name.startswith("day="):
            if entry.stat().st_mtime >= since:
                return True
            if any(child.stat().st_mtime >= since for child in os.scandir(entry.path)):
                return True
        elif (
            entry.is_file() and entry.name.endswith(".parquet") and entry.name != paths.SCHEMA_FILE
        ):
            if entry.stat().st_mtime >= since:
                return True
    return False


def descendants(child_map: Mapping[str, Iterable[str]], roots: Iterable[str]) -> set[str]:
    """Every node reachable from `roots` through `child_map` (the roots included)."""
    seen: set[str] = set()
    stack = list(roots)
    while stack:
        uid = stack.pop()
        if uid in seen:
            continue
        seen.add(uid)
        stack.extend(child_map.get(uid, ()))
    return seen


KEPT_TYPES = frozenset({"model", "seed"})


def unchanged_models(manifest: Mapping[str, Any], changed_sources: Iterable[str]) -> list[str]:
    """The names of the models and seeds no changed source (unique ids) reaches, parents before
    children (the order Dagster needs them reported in). Seeds are kept too: their files are
    part of the project fingerprint, so with the fingerprint unchanged they are."""
    nodes = manifest.get("nodes", {})
    reached = descendants(manifest.get("child_map", {}), changed_sources)
    kept = {
        uid
        for uid, node in nodes.items()
        if node.get("resource_type") in KEPT_TYPES and uid not in reached
    }
    parents = manifest.get("parent_map", {})
    ordered: list[str] = []
    done: set[str] = set()

    def visit(uid: str) -> None:
        if uid in done:
            return
        done.add(uid)
        for parent in sorted(parents.get(uid, ())):
            if parent in kept:
                visit(parent)
        ordered.append(nodes[uid]["name"])

    for uid in sorted(kept):
        visit(uid)
    return ordered


def kept_views(manifest: Mapping[str, Any], kept: Iterable[str]) -> list[str]:
    """The names among `kept` of the models materialised as views (in `kept`'s order)."""
    views = {
        node["name"]
        for node in manifest.get("nodes", {}).values()
        if node.get("resource_type") == "model"
        and node.get("config", {}).get("materialized") == "view"
    }
    return [name for name in kept if name in views]


def changed_sources(manifest: Mapping[str, Any], data_dir: Path, since: float) -> list[str]:
    """The unique ids of the sources whose folder changed at or after `since`."""
    return sorted(
        uid
        for uid, source in manifest.get("sources", {}).items()
        if changed_since(source_folder(data_dir, source), since)
    )
