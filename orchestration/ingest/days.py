"""The landing-file-to-day mapping behind the daily partitions.

A day-partitioned bronze dataset keeps a file's rows in `bronze/<dataset>/day=YYYY-MM-DD/`. The
days a landing file *touches* for a dataset are:
- for a file already ingested with its current bytes (the ledger row of (file, dataset) has the
  file's current checksum): the day folders its rows are in;
- for a new or changed file: the days its records fall on (parsed now, with the dataset's own
  `day_of`) plus the day folders its earlier bytes left, which a re-ingest must replace.
A duplicate delivery touches no day (it loads nothing). A partitioned run for days S ingests
exactly the files that touch a day of S; the sensor launches runs for the days new files touch.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import polars as pl

from orchestration.ingest.bronze import (
    STATIC_DAY,
    UNKNOWN_DAY,
    bronze_root,
    dataset_dir,
    day_keys,
)
from orchestration.ingest.file_records import safe_parse
from orchestration.sources import formats_for_dataset, parser_for_dataset, parser_for_format

NOT_A_DAY = frozenset({STATIC_DAY, UNKNOWN_DAY})
DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def is_dated(dataset: str) -> bool:
    """Whether a dataset's bronze rows are split by UTC day (not `day=static`)."""
    return not getattr(parser_for_dataset(dataset), "STATIC", False)


def day_folders(root: Path) -> Iterator[tuple[str, os.DirEntry]]:
    """(day, folder) for every `day=YYYY-MM-DD` folder of one bronze dataset's root."""
    if not root.is_dir():
        return
    for entry in os.scandir(root):
        if not entry.is_dir() or not entry.name.startswith("day="):
            continue
        day = entry.name.removeprefix("day=")
        if day not in NOT_A_DAY:
            yield day, entry


def earliest_bronze_day(data_dir: Path) -> str | None:
    """The earliest UTC day (YYYY-MM-DD) any bronze dataset holds rows for, or None when no
    day folder holds a file (nothing built yet). Reads folder names only: cheap at any size."""
    root = bronze_root(data_dir)
    if not root.is_dir():
        return None
    days = (
        day
        for dataset in os.scandir(root)
        if dataset.is_dir()
        for day, folder in day_folders(Path(dataset.path))
        if DAY.match(day) and _holds_parquet(folder.path)
    )
    return min(days, default=None)


def _holds_parquet(folder: str) -> bool:
    return any(
        entry.name.endswith(".parquet") and not entry.name.startswith(".")
        for entry in os.scandir(folder)
    )


def bronze_days(data_dir: Path, dataset: str) -> dict[str, set[str]]:
    """{file_key: the day folders holding its rows} for one bronze dataset."""
    out: dict[str, set[str]] = {}
    for day, entry in day_folders(dataset_dir(data_dir, dataset)):
        for child in os.scandir(entry.path):
            if child.name.endswith(".parquet") and not child.name.startswith("."):
                out.setdefault(child.name.removesuffix(".parquet"), set()).add(day)
    return out


def parsed_days(path: Path, fmt: str, dataset: str) -> set[str]:
    """The UTC days the file's records of `dataset` fall on (empty if it cannot be read)."""
    result = safe_parse(parser_for_format(fmt), path, dataset)
    if result is None or result.rows.height == 0:
        return set()
    keys = day_keys(parser_for_dataset(dataset), result.rows)
    return set(keys.unique().to_list()) - NOT_A_DAY


def ingested_checksums(ledger: pl.DataFrame, dataset: str) -> dict[str, str]:
    """{file_key: checksum} of the files whose bytes fed `dataset` at their last ingest."""
    rows = ledger.filter((pl.col("dataset") == dataset) & (pl.col("status") != "duplicate"))
    return dict(rows.select("file_key", "checksum_sha256").iter_rows())


def file_days(
    landing_dir: Path,
    data_dir: Path,
    files: pl.DataFrame,
    dataset: str,
    ledger: pl.DataFrame,
) -> dict[str, set[str]]:
    """{file_key: days it touches} for every landing file (of `files`, the landing scan with its
    delivery plan) that can feed the dated `dataset`."""
    formats = list(formats_for_dataset(dataset))
    candidates = files.filter(pl.col("format").is_in(formats))
    known = ingested_checksums(ledger, dataset)
    in_bronze = bronze_days(data_dir, dataset)
    out: dict[str, set[str]] = {}
    for key, rel, fmt, checksum, duplicate_of in candidates.select(
        "file_key", "file_path", "format", "checksum_sha256", "duplicate_of"
    ).iter_rows():
        old = in_bronze.get(key, set())
        if duplicate_of is not None:
            out[key] = old  # its earlier rows, if any, are removed by the day's run
        elif known.get(key) == checksum:
            out[key] = old
        else:
            out[key] = old | parsed_days(landing_dir / rel, fmt, dataset)
    return out


def keys_touching(mapping: dict[str, set[str]], days: set[str]) -> set[str]:
    """The file keys whose days meet `days`."""
    return {key for key, touched in mapping.items() if touched & days}
