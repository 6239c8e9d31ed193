"""The ledger as the user sees it: one object per source file, with its per-dataset breakdown.

The ledger is stored per (file, dataset) (`ledger`): datasets are ingested by separate assets.
A user reads it per file. `files_view` groups the rows of each file into:

- `file_path`, `format`, `status`, `rows_in`, `rows_loaded`, `rows_quarantined`, `reason`: file
  totals (rows summed over the file's rows, so rows_in = rows_loaded + rows_quarantined);
- `duplicate_of`, `previous_checksum`, `checksum_sha256`, `size_bytes`: the delivery;
- `datasets`: [{dataset, status, rows_in, rows_loaded, rows_quarantined, reason}], the datasets
  the file feeds, its format's primary dataset first, then by name. A dataset row with no record
  is left out (a VES batch of measurements shows pm_counters, not a 0-row alarm_events twin),
  unless the file has no record at all: then its primary dataset stands alone (a PM file without
  measData, a duplicate delivery). A file of no format feeds no dataset (`datasets` is empty; its
  totals count the whole-file reject).

File `status`: `duplicate` (a duplicate delivery), else `loaded` (nothing quarantined),
`partial` (some loaded, some quarantined) or `quarantined` (nothing loaded). File `reason`: the
reason of the dataset with the most quarantined rows (the primary first on a tie).

`itot ledger --json` (from the stored ledger) and `itot inspect --json` (from a dry run's rows)
both print `files_view(...)`, so the two have the same shape by construction.
"""

from __future__ import annotations

from typing import Any

import polars as pl

from orchestration.ingest.deliveries import DUPLICATE
from orchestration.sources import FORMAT_TO_DATASET

FILE_COLUMNS = (
    "file_path",
    "format",
    "status",
    "rows_in",
    "rows_loaded",
    "rows_quarantined",
    "reason",
    "duplicate_of",
    "previous_checksum",
    "checksum_sha256",
    "size_bytes",
)
DATASET_FIELDS = ("dataset", "status", "rows_in", "rows_loaded", "rows_quarantined", "reason")


def files_frame(ledger: pl.DataFrame) -> pl.DataFrame:
    """One row per file of `ledger` (LEDGER_SCHEMA rows), FILE_COLUMNS plus `datasets` (a list
    of structs with DATASET_FIELDS), ordered by file path."""
    primary = pl.col("format").replace_strict(FORMAT_TO_DATASET, default=None)
    rows = ledger.with_columns(
        (pl.col("dataset") == primary).fill_null(False).alias("_primary"),
        pl.col("rows_in").sum().over("file_key").alias("_file_rows"),
    ).sort(["file_key", "_primary", "dataset"], descending=[False, True, False], nulls_last=True)
    shown = rows.filter(
        pl.col("dataset").is_not_null()
        & ((pl.col("rows_in") > 0) | (pl.col("_primary") & (pl.col("_file_rows") == 0)))
    )
    breakdown = shown.group_by("file_key", maintain_order=True).agg(
        pl.struct(*DATASET_FIELDS).alias("datasets")
    )
    quarantined = pl.col("rows_quarantined").sum()
    loaded = pl.col("rows_loaded").sum()
    files = rows.group_by("file_key", maintain_order=True).agg(
        pl.col("file_path").first(),
        pl.col("format").first(),
        pl.when((pl.col("status") == DUPLICATE).any())
        .then(pl.lit(DUPLICATE))
        .when(quarantined == 0)
        .then(pl.lit("loaded"))
        .when(loaded > 0)
        .then(pl.lit("partial"))
        .otherwise(pl.lit("quarantined"))
        .alias("status"),
        pl.col("rows_in").sum(),
        loaded,
        quarantined,
        pl.col("reason")  # null exactly where nothing was quarantined
        .sort_by("rows_quarantined", descending=True, maintain_order=True)
        .drop_nulls()
        .first()
        .alias("reason"),
        pl.col("duplicate_of").drop_nulls().first(),
        pl.col("previous_checksum").drop_nulls().first(),
        pl.col("checksum_sha256").first(),
        pl.col("size_bytes").first(),
    )
    empty = pl.lit([], dtype=breakdown.schema["datasets"])
    return (
        files.join(breakdown, on="file_key", how="left")
        .with_columns(pl.col("datasets").fill_null(empty))
        .select(*FILE_COLUMNS, "datasets")
        .sort("file_path")
    )


def breakdown_text(datasets: list[dict[str, Any]]) -> str:
    """`datasets` in one line: `pm_counters: 56 in, 28 loaded, 28 quarantined; ves_events: ...`."""
    return "; ".join(
        f"{d['dataset']}: {d['rows_in']:,} in, {d['rows_loaded']:,} loaded, "
        f"{d['rows_quarantined']:,} quarantined"
        for d in datasets
    )


def serving_frame(ledger: pl.DataFrame) -> pl.DataFrame:
    """`files_frame` plus `breakdown` (`breakdown_text`), for the serving snapshot's
    `ingest_ledger_files` table (the Data health page's list of files)."""
    files = files_frame(ledger)
    text = [breakdown_text(parts) for parts in files.get_column("datasets").to_list()]
    return files.with_columns(pl.Series("breakdown", text, dtype=pl.String))


def files_view(ledger: pl.DataFrame) -> list[dict[str, Any]]:
    """`files_frame` as plain objects (what `--json` prints)."""
    return files_frame(ledger).to_dicts()
