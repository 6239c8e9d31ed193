"""`itot inspect`: a dry run of ingest over a landing folder. It writes nothing, anywhere.

It runs what a first build of the folder runs (`itot build` into an empty data folder), piece by
piece, with the same functions:

- the landing scan (`landing.scan_frame`, against an empty ledger): each entry's format, the
  whole-file reject of an entry of no format (or one that escapes the folder), and the delivery
  plan (a second copy of the same bytes is a duplicate delivery and loads nothing);
- the cells of the folder's inventory exports (`Inventory.from_landing`), for the unknown-cell
  rules, when it holds one;
- per file, `file_records.file_records` over every dataset its format feeds, as the ingest assets
  do one dataset at a time: parse, split per dataset, record rules.

Its result is the ledger rows that build would write (`LedgerEntry` per file and dataset, every
reject's reference and reason kept), shown per file by `ledger_files.files_view`, as
`itot ledger` shows a real ledger.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl

from orchestration.ingest.file_records import file_records
from orchestration.ingest.landing import UNRECOGNISED, scan_frame
from orchestration.ingest.ledger import LEDGER_SCHEMA, LedgerEntry, ledger_frame
from orchestration.ingest.ledger_files import files_view
from orchestration.ingest.record_rules import Context, Inventory
from orchestration.sources import FORMAT_DATASETS, parser_for_format
from orchestration.sources.result import FILE_REF, Reject

NO_FORMAT = "(no format)"  # the summary line of files that feed no dataset

Progress = Callable[[int, int], None]  # (files done, files in all)


@dataclass(frozen=True)
class DryRun:
    """What a first build of a landing folder would ingest: its ledger rows, per (file, dataset),
    each with every reject (its record_ref and reason; not the raw record)."""

    entries: tuple[LedgerEntry, ...]

    def ledger(self) -> pl.DataFrame:
        """The ledger rows (LEDGER_SCHEMA, `ingested_at` null: nothing was ingested)."""
        if not self.entries:
            return pl.DataFrame(schema=LEDGER_SCHEMA)
        return ledger_frame(self.entries).with_columns(
            pl.lit(None, dtype=LEDGER_SCHEMA["ingested_at"]).alias("ingested_at")
        )

    def files(self) -> list[dict[str, Any]]:
        """One object per file with its per-dataset breakdown (`ledger_files.files_view`)."""
        return files_view(self.ledger())

    def datasets(self) -> list[dict[str, Any]]:
        """Per dataset (and NO_FORMAT): files that feed it, rows in, loaded, quarantined and its
        most frequent reject reason, summed over the per-file breakdowns."""
        reasons: dict[str, Counter[str]] = {}
        for entry in self.entries:
            reasons.setdefault(entry.dataset or NO_FORMAT, Counter()).update(
                r.reason for r in entry.rejects
            )
        totals: dict[str, dict[str, Any]] = {}
        for file in self.files():
            parts = file["datasets"] or [{**file, "dataset": NO_FORMAT}]
            for part in parts:
                total = totals.setdefault(
                    part["dataset"],
                    {"files": 0, "rows_in": 0, "rows_loaded": 0, "rows_quarantined": 0},
                )
                total["files"] += 1
                for column in ("rows_in", "rows_loaded", "rows_quarantined"):
                    total[column] += part[column]
        out = []
        for dataset in sorted(totals, key=lambda d: (d == NO_FORMAT, d)):
            top = reasons.get(dataset, Counter()).most_common(1)
            out.append(
                {"dataset": dataset, **totals[dataset], "reason": top[0][0] if top else None}
            )
        return out


def dry_run(landing_dir: Path, progress: Progress | None = None) -> DryRun:
    """Read every file of `landing_dir` as a first build would, writing nothing.

    `progress(done, total)` is called after each file."""
    frame, unreadable = scan_frame(landing_dir, pl.DataFrame(schema=LEDGER_SCHEMA))
    landing_dir = landing_dir.resolve()
    ctx = Context(inventory=Inventory.from_landing(landing_dir, frame))
    entries: list[LedgerEntry] = []
    total = frame.height
    for done, row in enumerate(frame.sort("file_path").iter_rows(named=True), start=1):
        entries.extend(_file_entries(landing_dir, row, unreadable.get(row["file_key"]), ctx))
        if progress is not None:
            progress(done, total)
    return DryRun(tuple(entries))


def _file_entries(
    landing_dir: Path, row: dict[str, Any], unreadable: Reject | None, ctx: Context
) -> list[LedgerEntry]:
    """The ledger rows ingest writes for one scanned file (see `run.ingest_dataset`)."""
    common = {
        "file_key": row["file_key"],
        "file_path": row["file_path"],
        "format": row["format"],
        "checksum_sha256": row["checksum_sha256"],
        "size_bytes": row["size_bytes"],
    }
    fmt = row["format"]
    if fmt is None:  # the scan gives every entry of no format its reject
        reject = unreadable or Reject(FILE_REF, UNRECOGNISED)
        return [LedgerEntry(**common, dataset=None, rows_loaded=0, rejects=[_slim(reject)])]
    parser = parser_for_format(fmt)
    if row["duplicate_of"] is not None:
        return [
            LedgerEntry(
                **common,
                dataset=parser.DATASET,
                rows_loaded=0,
                rejects=[],
                duplicate_of=row["duplicate_of"],
            )
        ]
    records = file_records(parser, landing_dir / row["file_path"], FORMAT_DATASETS[fmt], ctx)
    return [
        LedgerEntry(
            **common,
            dataset=dataset,
            rows_loaded=result.rows.height,
            rejects=[_slim(r) for r in result.rejects],
            previous_checksum=row["previous_checksum"],
        )
        for dataset, result in records.items()
    ]


def _slim(reject: Reject) -> Reject:
    """The reject without its raw record: a dry run reports counts and reasons, and a folder
    with millions of rejects must not hold their text in memory."""
    return Reject(reject.record_ref, reject.reason)
