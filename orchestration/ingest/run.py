"""Ingest one bronze dataset: parse its landing files, write bronze, quarantine and ledger per
file, and summarise. A dataset with many large files is ingested in worker processes, one file
at a time each (`orchestration.ingest.pool`); results are summed in file order.

Each file is read by `file_records.file_records` (the same function `itot inspect` runs): parsed,
then checked by the record rules of `record_rules`, derived from the dataset's spec (missing
required fields, negative counters, unknown cells, future times, duplicate or out-of-order
events, ...): a record that breaks one is quarantined with that rule's reason.

A file ingested before with the same bytes, under the same ingest code and inventory, whose
bronze rows are still there, is skipped (`orchestration.ingest.unchanged`): its rows, quarantine
and ledger row stay as they are, and it writes no day. So a build after a new day's delivery
ingests that day's files only.

A duplicate delivery (the same bytes as a file already loaded, per the landing scan's plan)
loads nothing: its rows and rejects are removed and its ledger row says `duplicate`, naming the
copy that was loaded. A corrected re-delivery replaces the file's earlier rows.

Never raises on bad input: a parser exception for one file becomes a whole-file quarantine with
reason "parser error: <ExcType>: <msg>", and the other files still load. (Environment failures
such as a full disk do raise: they are not the data's fault and must stop the run.)
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from orchestration.ingest.bronze import (
    keys_in_bronze,
    remove_file_rows,
    write_file_rows,
    write_schema_file,
)
from orchestration.ingest.days import file_days, is_dated, keys_touching
from orchestration.ingest.file_records import file_records
from orchestration.ingest.landing import read_landing_files, scan_landing
from orchestration.ingest.ledger import LedgerEntry, ledger_path, read_ledger, write_ledger_entry
from orchestration.ingest.pool import ingest_workers, map_in_order, use_pool
from orchestration.ingest.quarantine import write_quarantine
from orchestration.ingest.record_rules import INVENTORY_DATASETS, Context, Inventory
from orchestration.ingest.unchanged import ingest_context, is_unchanged
from orchestration.sources import formats_for_dataset, parser_for_dataset, parser_for_format


@dataclass
class IngestSummary:
    """What one dataset's ingest did: counts over its files, UTC days written, reject reasons.

    `days` holds the bronze day folders written (`YYYY-MM-DD`, or `static`), sorted.
    `duplicates` counts files skipped as duplicate deliveries (included in `files`).
    `unchanged` counts files not ingested again (same bytes and rules as their last ingest; not
    in `files` nor in the row counts, which count this run's work).
    """

    dataset: str
    files: int = 0
    rows_in: int = 0
    rows_loaded: int = 0
    rows_quarantined: int = 0
    duplicates: int = 0
    unchanged: int = 0
    days: list[str] = field(default_factory=list)
    reasons: dict[str, int] = field(default_factory=dict)


def ingest_dataset(
    dataset: str,
    landing_dir: Path,
    data_dir: Path,
    days: set[str] | None = None,
    *,
    reingest: bool = False,
) -> IngestSummary:
    """Ingest every landing file that can feed `dataset` (per landing_files.parquet; scans if
    missing). A file whose format feeds several datasets is parsed here for this dataset's
    share only; its ledger row for this dataset is written (or removed when the file holds no
    record of it, unless this is the format's primary dataset).

    `days` (a daily partition run of a dated dataset): only the files that touch one of these
    UTC days (`orchestration.ingest.days`), each ingested whole. `reingest`: ingest the files
    unchanged since their last ingest too (a backfill redoing its days)."""
    spec = parser_for_dataset(dataset)
    write_schema_file(data_dir, spec)
    files = read_landing_files(data_dir)
    if files is None:
        files = scan_landing(landing_dir, data_dir).frame
    inventory = (
        Inventory.from_landing(landing_dir, files) if dataset in INVENTORY_DATASETS else None
    )
    ctx = Context(inventory=inventory)
    files = files.filter(pl.col("format").is_in(list(formats_for_dataset(dataset))))
    if days is not None and is_dated(dataset):
        touching = keys_touching(
            file_days(landing_dir, data_dir, files, dataset, read_ledger(data_dir)), days
        )
        files = files.filter(pl.col("file_key").is_in(sorted(touching)))
    files = files.sort("file_path")

    context = ingest_context(dataset, inventory)
    ledger = ledger_rows(data_dir, dataset)
    in_bronze = keys_in_bronze(data_dir, dataset)
    columns = (
        "file_key",
        "file_path",
        "format",
        "duplicate_of",
        "previous_checksum",
        "checksum_sha256",
        "size_bytes",
    )
    jobs: list[FileJob] = []
    skipped = 0
    for key, rel, fmt, duplicate_of, previous, checksum, size in files.select(columns).iter_rows():
        if not reingest and is_unchanged(
            ledger.get(key),
            checksum=checksum,
            duplicate_of=duplicate_of,
            previous_checksum=previous,
            context=context,
            has_bronze=key in in_bronze,
        ):
            skipped += 1
            continue
        jobs.append(
            FileJob(
                dataset,
                landing_dir,
                data_dir,
                ctx,
                key,
                rel,
                fmt,
                duplicate_of,
                previous,
                checksum or "",
                size or 0,
                context,
            )
        )
    files = files.filter(pl.col("file_key").is_in([job.key for job in jobs]))
    workers = ingest_workers()
    total_bytes = int(files["size_bytes"].fill_null(0).sum()) if files.height else 0
    pooled = use_pool(len(jobs), total_bytes, workers)
    outcomes = map_in_order(ingest_file, jobs, workers=workers, pooled=pooled)

    summary = IngestSummary(dataset=dataset, unchanged=skipped)
    days: set[str] = set()
    reasons: Counter[str] = Counter()
    for outcome in outcomes:
        if outcome is None:
            continue
        summary.files += 1
        summary.duplicates += outcome.duplicate
        summary.rows_loaded += outcome.rows_loaded
        summary.rows_quarantined += sum(outcome.reasons.values())
        days.update(outcome.days)
        reasons.update(outcome.reasons)
    summary.rows_in = summary.rows_loaded + summary.rows_quarantined
    summary.days = sorted(days)
    summary.reasons = dict(reasons.most_common())
    return summary


@dataclass(frozen=True)
class FileJob:
    """One landing file to ingest for one dataset (picklable: it may go to a worker process)."""

    dataset: str
    landing_dir: Path
    data_dir: Path
    ctx: Context
    key: str
    rel: str
    fmt: str
    duplicate_of: str | None
    previous: str | None
    checksum: str  # SHA-256 and size of the bytes the landing scan saw
    size: int
    context: str  # `unchanged.ingest_context` of the dataset


def ledger_rows(data_dir: Path, dataset: str) -> dict[str, dict]:
    """{file_key: its ledger row for `dataset`} (every file that has one)."""
    rows = read_ledger(data_dir).filter(pl.col("dataset") == dataset)
    return {row["file_key"]: row for row in rows.iter_rows(named=True)}


@dataclass(frozen=True)
class FileOutcome:
    """What ingesting one file did: rows loaded, rejects per reason, bronze days written."""

    rows_loaded: int = 0
    reasons: Counter[str] = field(default_factory=Counter)
    days: frozenset[str] = frozenset()
    duplicate: bool = False


def ingest_file(job: FileJob) -> FileOutcome | None:
    """Ingest one file for one dataset: its bronze, quarantine and ledger files (only its own,
    so files may be ingested in parallel). None when the file holds no record of this
    (secondary) dataset."""
    dataset, data_dir, key, rel, fmt = job.dataset, job.data_dir, job.key, job.rel, job.fmt
    path = job.landing_dir / rel
    parser = parser_for_format(fmt)
    part = None if parser.DATASET == dataset else dataset
    if job.duplicate_of is not None:
        _record_duplicate(job, part)
        return FileOutcome(duplicate=True)
    result = file_records(parser, path, (dataset,), job.ctx).get(dataset)
    if result is None:  # this file holds no record of this (secondary) dataset
        remove_file_rows(data_dir, dataset, key)
        write_quarantine(data_dir, key, rel, fmt, [], part)
        ledger_path(data_dir, key, part).unlink(missing_ok=True)
        return None
    spec = parser_for_dataset(dataset)
    days = write_file_rows(data_dir, spec, key, rel, result.rows, result.record_refs)
    write_quarantine(data_dir, key, rel, fmt, result.rejects, part)
    write_ledger_entry(
        data_dir,
        LedgerEntry(
            file_key=key,
            file_path=rel,
            format=fmt,
            dataset=dataset,
            checksum_sha256=job.checksum,
            size_bytes=job.size,
            rows_loaded=result.rows.height,
            rejects=result.rejects,
            previous_checksum=job.previous,
            ingest_context=job.context,
        ),
        part=part,
    )
    return FileOutcome(
        rows_loaded=result.rows.height,
        reasons=Counter(r.reason for r in result.rejects),
        days=frozenset(days),
    )


def _record_duplicate(job: FileJob, part: str | None) -> None:
    """A duplicate delivery: no bronze or quarantine rows; the primary ledger row says so."""
    remove_file_rows(job.data_dir, job.dataset, job.key)
    write_quarantine(job.data_dir, job.key, job.rel, job.fmt, [], part)
    if part is not None:
        ledger_path(job.data_dir, job.key, part).unlink(missing_ok=True)
        return
    write_ledger_entry(
        job.data_dir,
        LedgerEntry(
            file_key=job.key,
            file_path=job.rel,
            format=job.fmt,
            dataset=job.dataset,
            checksum_sha256=job.checksum,
            size_bytes=job.size,
            rows_loaded=0,
            rejects=[],
            duplicate_of=job.duplicate_of,
            previous_checksum=job.previous,
            ingest_context=job.context,
        ),
    )
