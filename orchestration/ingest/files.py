"""Small file helpers for the ingest layer: file keys, checksums, atomic Parquet writes."""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

import polars as pl

CHUNK = 1 << 20  # 1 MiB reads for checksums


def file_key(rel_path: str) -> str:
    """First 16 hex digits of SHA-256 of the landing-relative path (stable across deliveries)."""
    return hashlib.sha256(rel_path.encode("utf-8")).hexdigest()[:16]


def sha256_file(path: Path) -> str:
    """SHA-256 of the file's bytes, hex."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def temp_prefix(path: Path) -> str:
    """The name prefix of `path`'s temp files: `.<name>.<pid>.` (a crashed writer's leftovers
    are recognised by their dead pid, see `orchestration.recovery`)."""
    return f".{path.name}.{os.getpid()}."


def write_parquet_atomic(frame: pl.DataFrame, path: Path) -> None:
    """Write Parquet to a temp file in the same folder, then rename over `path`.

    Readers (dbt, other assets) never see a half-written file.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=temp_prefix(path), suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        frame.write_parquet(tmp)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
