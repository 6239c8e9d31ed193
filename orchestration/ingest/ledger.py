"""The ingest ledger: one row per (source file, dataset), proving that no record was lost.

A file that feeds one dataset has one row (`ledger/<file_key>.parquet`). A file that feeds
several (a VES batch with faults and perf3gpp) has one row for its format's primary dataset
(same path: it also carries whole-file and unclassifiable rejects) and one per other dataset
that received records (`ledger/<file_key>.<dataset>.parquet`). Summed over a file's rows,
rows_in counts every record of the file exactly once.

Invariant per row: rows_in = rows_loaded + rows_quarantined. `status` is `loaded` (nothing
rejected), `partial` (some records rejected), `quarantined` (nothing loaded, something
rejected) or `duplicate` (the same bytes were loaded from `duplicate_of`: zero rows here, so
nothing is counted twice; see `deliveries`). `reason` is the most frequent reject reason.
`previous_checksum` is the checksum of the earlier delivery of the same file name that this one
replaced (a corrected re-delivery), null for a first delivery. `ingest_context` fingerprints
what else decided the file's rows (the ingest code, and the inventory for the datasets whose rules
read it; `orchestration.ingest.unchanged`): a later build skips a file whose checksum and context
are unchanged.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import polars as pl

from orchestration import paths
from orchestration.ingest.deliveries import DUPLICATE
from orchestration.ingest.files import write_parquet_atomic
from orchestration.sources.result import Reject
from orchestration.sources.timestamps import TS_DTYPE

# a landing file's identity, the first columns of the ledger and of the landing scan
FILE_IDENTITY_SCHEMA: dict[str, pl.DataType] = {
    "file_key": pl.String(),
    "file_path": pl.String(),
    "format": pl.String(),
    "dataset": pl.String(),
    "checksum_sha256": pl.String(),
    "size_bytes": pl.Int64(),
}
LEDGER_SCHEMA: dict[str, pl.DataType] = {
    **FILE_IDENTITY_SCHEMA,
    "status": pl.String(),
    "rows_in": pl.Int64(),
    "rows_loaded": pl.Int64(),
    "rows_quarantined": pl.Int64(),
    "reason": pl.String(),
    "duplicate_of": pl.String(),
    "previous_checksum": pl.String(),
    "ingest_context": pl.String(),
    "ingested_at": TS_DTYPE,
}


@dataclass(frozen=True)
class LedgerEntry:
    """One source file's ingest outcome."""

    file_key: str
    file_path: str
    format: str | None
    dataset: str | None
    checksum_sha256: str
    size_bytes: int
    rows_loaded: int
    rejects: Sequence[Reject]
    duplicate_of: str | None = None
    previous_checksum: str | None = None
    ingest_context: str | None = None

    @property
    def rows_quarantined(self) -> int:
        return len(self.rejects)

    @property
    def rows_in(self) -> int:
        return self.rows_loaded + self.rows_quarantined

    @property
    def status(self) -> str:
        if self.duplicate_of is not None:
            return DUPLICATE
        if not self.rejects:
            return "loaded"
        return "partial" if self.rows_loaded else "quarantined"

    @property
    def reason(self) -> str | None:
        if not self.rejects:
            return None
        return Counter(r.reason for r in self.rejects).most_common(1)[0][0]


def ledger_path(data_dir: Path, key: str, part: str | None = None) -> Path:
    """`$DATA/ledger/<file_key>.parquet`, or `<file_key>.<part>.parquet` (secondary dataset)."""
    return paths.ledger_dir(data_dir) / (f"{key}.{part}.parquet" if part else f"{key}.parquet")


def ledger_frame(entries: Sequence[LedgerEntry], now: datetime | None = None) -> pl.DataFrame:
    """The ledger rows of `entries` (LEDGER_SCHEMA), ingested at `now` (default: now)."""
    at = now or datetime.now(UTC)
    return pl.DataFrame(
        [
            {
                "file_key": entry.file_key,
                "file_path": entry.file_path,
                "format": entry.format,
                "dataset": entry.dataset,
                "checksum_sha256": entry.checksum_sha256,
                "size_bytes": entry.size_bytes,
                "status": entry.status,
                "rows_in": entry.rows_in,
                "rows_loaded": entry.rows_loaded,
                "rows_quarantined": entry.rows_quarantined,
                "reason": entry.reason,
                "duplicate_of": entry.duplicate_of,
                "previous_checksum": entry.previous_checksum,
                "ingest_context": entry.ingest_context,
                "ingested_at": at,
            }
            for entry in entries
        ],
        schema=LEDGER_SCHEMA,
    )


def write_ledger_entry(
    data_dir: Path, entry: LedgerEntry, now: datetime | None = None, part: str | None = None
) -> None:
    """Write (replace) the ledger row of one source file (and secondary dataset `part`)."""
    write_parquet_atomic(ledger_frame([entry], now), ledger_path(data_dir, entry.file_key, part))


def read_ledger(data_dir: Path) -> pl.DataFrame:
    """All ledger rows, ordered by file path (zero rows with the schema if none)."""
    files = sorted(paths.ledger_dir(data_dir).glob("*.parquet"))
    if not files:
        return pl.DataFrame(schema=LEDGER_SCHEMA)
    # rows written before a column existed read it as null
    frame = pl.concat([pl.read_parquet(f) for f in files], how="diagonal_relaxed")
    frame = frame.with_columns(
        pl.lit(None, dtype=dtype).alias(name)
        for name, dtype in LEDGER_SCHEMA.items()
        if name not in frame.columns
    )
    return frame.select(list(LEDGER_SCHEMA)).sort("file_path")
