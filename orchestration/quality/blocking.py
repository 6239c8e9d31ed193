"""Which bronze datasets are blocked, and which dbt models they hold back.

A bronze dataset is blocked when its latest `expectations` check failed an ERROR expectation:
the dataset as a whole went wrong (schema drift, a key repeated within a file) or ingest let a
broken record through. A blocked dataset holds back only the dbt models downstream of its dbt
source (`dbt build --exclude source:<source>.<table>+`); every other model is rebuilt and the
serving snapshot is published with them. The held-back models keep their last good version in
the warehouse (or are built empty when they never existed) and are marked stale in the snapshot.
Pure functions over check results and the dbt manifest.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from graphlib import TopologicalSorter
from pathlib import Path
from typing import Any

import polars as pl

from orchestration.ingest.files import write_parquet_atomic
from orchestration.quality.results import EXPECTATIONS_CHECK

STALE_SCHEMA: dict[str, pl.DataType] = {
    "model": pl.String(),  # a dbt model held back (its table is the last good version)
    "dataset": pl.String(),  # the blocked bronze dataset it reads
    "check_name": pl.String(),
    "expectations": pl.String(),  # the failed ERROR expectations, `; `-separated
    "unexpected_rows": pl.Int64(),
    "rows_total": pl.Int64(),
    "kept": pl.String(),  # `last good version` | `empty: never built`
    "reason": pl.String(),  # the one-line summary of the block
}
KEPT = "last good version"
EMPTY = "empty: never built"


@dataclass(frozen=True)
class Block:
    """One blocked dataset: by which check, which ERROR expectations, on how many rows."""

    dataset: str
    check_name: str
    expectations: tuple[str, ...]
    unexpected_rows: int  # the most rows any failed ERROR expectation flagged
    rows_total: int

    @property
    def line(self) -> str:
        """`alarm_events blocked by expectations: <expectation> (+1 more) on 2 of 103 rows`."""
        more = f" (+{len(self.expectations) - 1} more)" if len(self.expectations) > 1 else ""
        return (
            f"{self.dataset} blocked by {self.check_name}: {self.expectations[0]}{more} "
            f"on {self.unexpected_rows:,} of {self.rows_total:,} rows"
        )


def blocked_datasets(results: pl.DataFrame) -> list[Block]:
    """The datasets whose latest `expectations` results hold a failed ERROR record, by name."""
    failed = results.filter(
        (pl.col("check_name") == EXPECTATIONS_CHECK)
        & ~pl.col("success")
        & (pl.col("severity") == "error")
    )
    blocks = []
    for dataset in sorted(failed.get_column("dataset").unique().to_list()):
        mine = failed.filter(pl.col("dataset") == dataset).sort("expectation")
        blocks.append(
            Block(
                dataset=dataset,
                check_name=EXPECTATIONS_CHECK,
                expectations=tuple(mine.get_column("expectation").to_list()),
                unexpected_rows=int(mine.get_column("unexpected_count").fill_null(0).max() or 0),
                rows_total=int(mine.get_column("rows_total").fill_null(0).max() or 0),
            )
        )
    return blocks


def summary_line(blocks: Sequence[Block]) -> str:
    """The build's last line when datasets are blocked (empty when none is)."""
    if not blocks:
        return ""
    return "BLOCKED: " + "; ".join(b.line for b in blocks) + " (their dbt models are stale)"


def dbt_sources_of(manifest: Mapping[str, Any], dataset: str) -> list[tuple[str, str]]:
    """(source name, table name) of the dbt sources that read bronze `dataset`: those naming the
    asset `bronze_<dataset>` in `meta.dagster.asset_key`, or named like the dataset."""
    out = []
    for source in manifest.get("sources", {}).values():
        meta = source.get("meta") or source.get("config", {}).get("meta") or {}
        declared = (meta.get("dagster") or {}).get("asset_key")
        if declared == [f"bronze_{dataset}"] or (declared is None and source["name"] == dataset):
            out.append((source["source_name"], source["name"]))
    return sorted(out)


def exclude_arguments(manifest: Mapping[str, Any], datasets: Iterable[str]) -> list[str]:
    """`--exclude source:<source>.<table>+ ...` for the blocked datasets (none: no arguments)."""
    selectors = [f"source:{s}.{t}+" for d in datasets for s, t in dbt_sources_of(manifest, d)]
    return ["--exclude", " ".join(selectors)] if selectors else []


def held_back_models(manifest: Mapping[str, Any], datasets: Iterable[str]) -> dict[str, str]:
    """{model name: the blocked dataset it reads (the first, by name)}: every model downstream
    of a blocked dataset's dbt source, parents before children (the order Dagster needs)."""
    children = manifest.get("child_map", {})
    uid_of = {(s["source_name"], s["name"]): uid for uid, s in manifest.get("sources", {}).items()}
    nodes = manifest.get("nodes", {})
    out: dict[str, str] = {}
    for dataset in sorted(datasets):
        stack = [uid_of[st] for st in dbt_sources_of(manifest, dataset) if st in uid_of]
        seen: set[str] = set()
        while stack:
            for child in children.get(stack.pop(), []):
                if child not in seen:
                    seen.add(child)
                    stack.append(child)
        for uid in seen:
            node = nodes.get(uid, {})
            if node.get("resource_type") == "model":
                out.setdefault(uid, dataset)
    parents = manifest.get("parent_map", {})
    order = TopologicalSorter({uid: [p for p in parents.get(uid, []) if p in out] for uid in out})
    return {nodes[uid]["name"]: out[uid] for uid in order.static_order()}


def stale_frame(
    held_back: Mapping[str, str], blocks: Sequence[Block], empty: Iterable[str] = ()
) -> pl.DataFrame:
    """One row per held-back model: its dataset, the block, and what the warehouse kept."""
    by_dataset = {b.dataset: b for b in blocks}
    empty = set(empty)
    rows = [
        {
            "model": model,
            "dataset": dataset,
            "check_name": by_dataset[dataset].check_name,
            "expectations": "; ".join(by_dataset[dataset].expectations),
            "unexpected_rows": by_dataset[dataset].unexpected_rows,
            "rows_total": by_dataset[dataset].rows_total,
            "kept": EMPTY if model in empty else KEPT,
            "reason": by_dataset[dataset].line,
        }
        for model, dataset in held_back.items()
        if dataset in by_dataset
    ]
    return pl.DataFrame(rows, schema=STALE_SCHEMA) if rows else pl.DataFrame(schema=STALE_SCHEMA)


STALE_FILE = "stale_models.parquet"


def stale_models_path(data_dir: Path) -> Path:
    """`$ITOT_DATA/stale_models.parquet`: the models the latest dbt build held back."""
    return data_dir / STALE_FILE


def write_stale_models(data_dir: Path, frame: pl.DataFrame) -> Path:
    """Replace the held-back models file (atomic); an empty frame when nothing is held back."""
    path = stale_models_path(data_dir)
    write_parquet_atomic(frame.select(list(STALE_SCHEMA)), path)
    return path


def read_stale_models(data_dir: Path) -> pl.DataFrame:
    """The held-back models of the latest dbt build (empty when none, or before any build)."""
    path = stale_models_path(data_dir)
    return pl.read_parquet(path) if path.exists() else pl.DataFrame(schema=STALE_SCHEMA)
