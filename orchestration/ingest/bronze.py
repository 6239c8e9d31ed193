"""Bronze Parquet: typed rows of one source file, split by UTC day, tagged with lineage.

Layout: `bronze/<dataset>/day=YYYY-MM-DD/<file_key>.parquet` (`day=static` for datasets without
a time axis) plus `bronze/<dataset>/schema.parquet` with zero rows, so readers of an empty
dataset still see its columns. Re-ingesting a file first removes that file_key's parquet files
from every day folder: a re-delivered file replaces its rows, never duplicates them.
"""

from __future__ import annotations

import os
from pathlib import Path
from types import ModuleType

import polars as pl

from orchestration import paths
from orchestration.ingest.files import write_parquet_atomic

LINEAGE: dict[str, pl.DataType] = {"source_file": pl.String(), "source_record": pl.String()}
STATIC_DAY = "static"
UNKNOWN_DAY = "unknown"  # rows whose day column is null (should not happen: parsers require it)
SCHEMA_FILE = paths.SCHEMA_FILE


def bronze_root(data_dir: Path) -> Path:
    """`$DATA/bronze`: one folder per dataset."""
    return paths.bronze_dir(data_dir)


def dataset_dir(data_dir: Path, dataset: str) -> Path:
    """`$DATA/bronze/<dataset>`."""
    return bronze_root(data_dir) / dataset


def bronze_schema(parser: ModuleType) -> dict[str, pl.DataType]:
    """The dataset's full bronze schema: the parser's SCHEMA then the lineage columns."""
    return {**parser.SCHEMA, **LINEAGE}


def write_schema_file(data_dir: Path, parser: ModuleType) -> Path:
    """(Re)write the zero-row `schema.parquet` of the parser's dataset (and remove the file's
    former name, `_schema.parquet`, from a data folder built before)."""
    folder = dataset_dir(data_dir, parser.DATASET)
    path = folder / SCHEMA_FILE
    write_parquet_atomic(pl.DataFrame(schema=bronze_schema(parser)), path)
    (folder / paths.LEGACY_SCHEMA_FILE).unlink(missing_ok=True)
    return path


def remove_file_rows(data_dir: Path, dataset: str, key: str) -> int:
    """Delete every `<key>.parquet` of the dataset (all day folders); returns how many."""
    removed = 0
    root = dataset_dir(data_dir, dataset)
    if not root.exists():
        return 0
    for path in root.glob(f"day=*/{key}.parquet"):
        path.unlink(missing_ok=True)
        removed += 1
    return removed


def keys_in_bronze(data_dir: Path, dataset: str) -> set[str]:
    """The file keys with a rows file in any day folder of the dataset (`static` included)."""
    root = dataset_dir(data_dir, dataset)
    if not root.is_dir():
        return set()
    return {
        child.name.removesuffix(".parquet")
        for folder in os.scandir(root)
        if folder.is_dir() and folder.name.startswith("day=")
        for child in os.scandir(folder.path)
        if child.name.endswith(".parquet") and not child.name.startswith(".")
    }


def day_keys(parser: ModuleType, rows: pl.DataFrame) -> pl.Series:
    """The day folder value (YYYY-MM-DD or 'static') of every row."""
    if getattr(parser, "STATIC", False):
        return pl.Series("__day", [STATIC_DAY] * rows.height, dtype=pl.String)
    days = parser.day_of(rows)
    return days.dt.strftime("%Y-%m-%d").fill_null(UNKNOWN_DAY).alias("__day")


def write_file_rows(
    data_dir: Path,
    parser: ModuleType,
    key: str,
    rel_path: str,
    rows: pl.DataFrame,
    record_refs: list[str] | pl.Series,
) -> list[str]:
    """Replace a source file's bronze rows; returns the day folders written (sorted).

    `rows` has exactly the parser's SCHEMA; lineage columns are added here.
    """
    dataset = parser.DATASET
    remove_file_rows(data_dir, dataset, key)
    if rows.height == 0:
        return []
    framed = rows.with_columns(
        pl.lit(rel_path, dtype=pl.String).alias("source_file"),
        pl.Series("source_record", record_refs, dtype=pl.String),
        day_keys(parser, rows),
    )
    days: list[str] = []
    for (day,), part in framed.group_by("__day", maintain_order=True):
        out = dataset_dir(data_dir, dataset) / f"day={day}" / f"{key}.parquet"
        write_parquet_atomic(part.drop("__day"), out)
        days.append(str(day))
    return sorted(days)
