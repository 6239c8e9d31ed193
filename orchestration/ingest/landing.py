"""The landing zone scan: every file, its checksum and detected format.

Writes `$DATA/landing_files.parquet` (one row per landing file). Files of no known format are
quarantined whole here, with reason "unrecognised format", and get a ledger row, so that
nothing in the landing zone goes unaccounted for. `truth.json` (the simulator's ground truth)
and hidden files are not landing files.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import polars as pl

from orchestration.ingest.bronze import dataset_dir
from orchestration.ingest.detect import detect_format, read_head
from orchestration.ingest.files import (
    file_key,
    relative_path,
    sha256_file,
    write_parquet_atomic,
)
from orchestration.ingest.ledger import LedgerEntry, write_ledger_entry
from orchestration.ingest.quarantine import write_quarantine
from orchestration.sources import FORMAT_TO_DATASET
from orchestration.sources.result import FILE_REF, RAW_MAX_CHARS, Reject
from orchestration.sources.timestamps import TS_DTYPE

LANDING_FILES = "landing_files.parquet"
SKIP_NAMES = frozenset({"truth.json"})
UNRECOGNISED = "unrecognised format"
LANDING_SCHEMA: dict[str, pl.DataType] = {
    "file_key": pl.String(),
    "file_path": pl.String(),
    "format": pl.String(),
    "dataset": pl.String(),
    "checksum_sha256": pl.String(),
    "size_bytes": pl.Int64(),
    "modified_at": TS_DTYPE,
    "scanned_at": TS_DTYPE,
}


@dataclass(frozen=True)
class LandingScan:
    """The result of one scan: the landing_files frame and its counts."""

    frame: pl.DataFrame
    path: Path

    @property
    def files(self) -> int:
        return self.frame.height

    @property
    def recognised(self) -> int:
        return self.frame.filter(pl.col("format").is_not_null()).height

    @property
    def unrecognised(self) -> int:
        return self.frame.filter(pl.col("format").is_null()).height


def landing_files_path(data_dir: Path) -> Path:
    """`$DATA/landing_files.parquet`."""
    return data_dir / LANDING_FILES


def list_landing(landing_dir: Path) -> list[Path]:
    """Every landing file, sorted by relative path (skips truth.json and hidden files/dirs)."""
    out: list[Path] = []
    for path in landing_dir.rglob("*"):
        rel = path.relative_to(landing_dir)
        if any(part.startswith(".") for part in rel.parts):
            continue
        if path.name in SKIP_NAMES or not path.is_file():
            continue
        out.append(path)
    return sorted(out, key=lambda p: p.relative_to(landing_dir).as_posix())


def scan_landing(landing_dir: Path, data_dir: Path) -> LandingScan:
    """Scan the landing zone, write landing_files.parquet, quarantine unrecognised files."""
    landing_dir = landing_dir.resolve()
    now = datetime.now(UTC)
    rows: list[dict[str, object]] = []
    for path in list_landing(landing_dir) if landing_dir.exists() else []:
        rel = relative_path(path, landing_dir)
        key = file_key(rel)
        stat = path.stat()
        checksum = sha256_file(path)
        fmt = detect_format(path)
        rows.append(
            {
                "file_key": key,
                "file_path": rel,
                "format": fmt,
                "dataset": FORMAT_TO_DATASET.get(fmt) if fmt else None,
                "checksum_sha256": checksum,
                "size_bytes": stat.st_size,
                "modified_at": datetime.fromtimestamp(stat.st_mtime, UTC),
                "scanned_at": now,
            }
        )
        if fmt is None:
            _quarantine_unrecognised(data_dir, path, rel, key, checksum, stat.st_size)
    frame = pl.DataFrame(rows, schema=LANDING_SCHEMA)
    out = landing_files_path(data_dir)
    write_parquet_atomic(frame, out)
    return LandingScan(frame=frame, path=out)


def read_landing_files(data_dir: Path) -> pl.DataFrame | None:
    """The last scan's landing_files frame, or None if there was none."""
    path = landing_files_path(data_dir)
    return pl.read_parquet(path) if path.exists() else None


def _quarantine_unrecognised(
    data_dir: Path, path: Path, rel: str, key: str, checksum: str, size: int
) -> None:
    try:
        head, _ = read_head(path, RAW_MAX_CHARS)
        raw = head.decode("utf-8", errors="replace")
    except OSError:
        raw = ""
    reject = Reject(FILE_REF, UNRECOGNISED, raw)
    # A file that used to be recognised may have left rows in some dataset: drop them.
    bronze_root = dataset_dir(data_dir, "x").parent
    if bronze_root.exists():
        for old in bronze_root.glob(f"*/day=*/{key}.parquet"):
            old.unlink(missing_ok=True)
    for folder in ("ledger", "quarantine"):  # rows of secondary datasets
        for old in (data_dir / folder).glob(f"{key}.*.parquet"):
            old.unlink(missing_ok=True)
    write_quarantine(data_dir, key, rel, None, [reject])
    write_ledger_entry(
        data_dir,
        LedgerEntry(
            file_key=key,
            file_path=rel,
            format=None,
            dataset=None,
            checksum_sha256=checksum,
            size_bytes=size,
            rows_loaded=0,
            rejects=[reject],
        ),
    )
