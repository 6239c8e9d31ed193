"""Quarantine: every rejected record (or whole file) of a source file, with its reason.

One Parquet per source file: `quarantine/<file_key>.parquet`; rewritten on every ingest of
that file and removed when the file no longer has rejects.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import polars as pl

from orchestration import paths
from orchestration.ingest.files import write_parquet_atomic
from orchestration.sources.result import Reject, truncate_raw

QUARANTINE_SCHEMA: dict[str, pl.DataType] = {
    "file_key": pl.String(),
    "file_path": pl.String(),
    "format": pl.String(),
    "record_ref": pl.String(),
    "reason": pl.String(),
    "raw": pl.String(),
}


def quarantine_path(data_dir: Path, key: str, part: str | None = None) -> Path:
    """`$DATA/quarantine/<file_key>.parquet`, or `<file_key>.<part>.parquet` (secondary)."""
    return paths.quarantine_dir(data_dir) / (f"{key}.{part}.parquet" if part else f"{key}.parquet")


def write_quarantine(
    data_dir: Path,
    key: str,
    rel_path: str,
    fmt: str | None,
    rejects: Sequence[Reject],
    part: str | None = None,
) -> None:
    """Replace the file's quarantine rows (or remove them when there are no rejects)."""
    path = quarantine_path(data_dir, key, part)
    if not rejects:
        path.unlink(missing_ok=True)
        return
    frame = pl.DataFrame(
        {
            "file_key": [key] * len(rejects),
            "file_path": [rel_path] * len(rejects),
            "format": [fmt] * len(rejects),
            "record_ref": [r.record_ref for r in rejects],
            "reason": [r.reason for r in rejects],
            "raw": [truncate_raw(r.raw or "") for r in rejects],
        },
        schema=QUARANTINE_SCHEMA,
    )
    write_parquet_atomic(frame, path)


def read_quarantine(data_dir: Path) -> pl.DataFrame:
    """All quarantined records (zero rows with the schema if none)."""
    files = sorted(paths.quarantine_dir(data_dir).glob("*.parquet"))
    if not files:
        return pl.DataFrame(schema=QUARANTINE_SCHEMA)
    return pl.concat([pl.read_parquet(f) for f in files], how="vertical")
