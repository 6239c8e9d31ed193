"""Ingest one bronze dataset: parse its landing files one at a time, write bronze, quarantine
and ledger per file, and summarise.

Never raises on bad input: a parser exception for one file becomes a whole-file quarantine with
reason "parser error: <ExcType>: <msg>", and the other files still load. (Environment failures
such as a full disk do raise: they are not the data's fault and must stop the run.)
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType

import polars as pl

from orchestration.ingest.bronze import write_file_rows, write_schema_file
from orchestration.ingest.files import sha256_file
from orchestration.ingest.landing import read_landing_files, scan_landing
from orchestration.ingest.ledger import LedgerEntry, write_ledger_entry
from orchestration.ingest.quarantine import write_quarantine
from orchestration.sources import parser_for_dataset
from orchestration.sources.result import ParseResult, describe_error, file_rejected


@dataclass
class IngestSummary:
    """What one dataset's ingest did: counts over its files, UTC days written, reject reasons.

    `days` holds the bronze day folders written (`YYYY-MM-DD`, or `static`), sorted.
    """

    dataset: str
    files: int = 0
    rows_in: int = 0
    rows_loaded: int = 0
    rows_quarantined: int = 0
    days: list[str] = field(default_factory=list)
    reasons: dict[str, int] = field(default_factory=dict)


def ingest_dataset(dataset: str, landing_dir: Path, data_dir: Path) -> IngestSummary:
    """Ingest every landing file of `dataset` (per landing_files.parquet; scans if missing)."""
    parser = parser_for_dataset(dataset)
    write_schema_file(data_dir, parser)
    files = read_landing_files(data_dir)
    if files is None:
        files = scan_landing(landing_dir, data_dir).frame
    files = files.filter(pl.col("dataset") == dataset).sort("file_path")

    summary = IngestSummary(dataset=dataset)
    days: set[str] = set()
    reasons: Counter[str] = Counter()
    for key, rel, fmt in files.select("file_key", "file_path", "format").iter_rows():
        path = landing_dir / rel
        result = safe_parse(parser, path)
        days.update(write_file_rows(data_dir, parser, key, rel, result.rows, result.record_refs))
        write_quarantine(data_dir, key, rel, fmt, result.rejects)
        checksum, size = _fingerprint(path)
        write_ledger_entry(
            data_dir,
            LedgerEntry(
                file_key=key,
                file_path=rel,
                format=fmt,
                dataset=dataset,
                checksum_sha256=checksum,
                size_bytes=size,
                rows_loaded=result.rows.height,
                rejects=result.rejects,
            ),
        )
        summary.files += 1
        summary.rows_loaded += result.rows.height
        summary.rows_quarantined += len(result.rejects)
        reasons.update(r.reason for r in result.rejects)
    summary.rows_in = summary.rows_loaded + summary.rows_quarantined
    summary.days = sorted(days)
    summary.reasons = dict(reasons.most_common())
    return summary


def safe_parse(parser: ModuleType, path: Path) -> ParseResult:
    """`parser.parse(path)`, with any exception or schema drift turned into a file reject."""
    try:
        result = parser.parse(path)
        if result.rows.schema != pl.Schema(parser.SCHEMA):
            raise TypeError(f"rows schema {dict(result.rows.schema)} != SCHEMA {parser.SCHEMA}")
    except Exception as exc:  # noqa: BLE001 - one bad file must not stop the dataset
        return file_rejected(parser.SCHEMA, f"parser error: {describe_error(exc)}")
    return result


def _fingerprint(path: Path) -> tuple[str, int]:
    try:
        return sha256_file(path), path.stat().st_size
    except OSError:
        return "", 0
