"""The landing zone scan: every file, its checksum and detected format.

Writes `$DATA/landing_files.parquet` (one row per landing file). Files of no known format are
quarantined whole here, with reason "unrecognised format" (or a more specific one: "empty
file", "unrecognised format: XML root element 'x'"), and get a ledger row, so that nothing in
the landing zone goes unaccounted for. So are entries that would make ingest read outside the
landing zone: a symbolic link that resolves outside it (or dangles) is quarantined with "path
escapes the landing zone" and its target is never read; a file name that encodes a traversal
(`..%2F..%2Fetc%2Fpasswd`) with "file name encodes a path traversal ('..' segment)".
`truth.json` (the simulator's ground truth) and hidden files are not landing files.

A file whose path, size and modification time equal the previous scan's keeps that scan's
checksum without being read again (as rsync and make decide): on a landing zone of gigabytes a
rescan hashes only the new and changed files. A file rewritten in place with the same size
within the same microsecond would keep its old checksum; landing deliveries do not do that.

The scan also decides, from the ledger as it was, which copy of repeated bytes is loaded
(`duplicate_of`: the path of the loaded copy, for a duplicate delivery) and which checksum a
corrected re-delivery replaces (`previous_checksum`); see `deliveries`.
"""

from __future__ import annotations

import hashlib
import os
import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import unquote

import polars as pl

from orchestration import paths
from orchestration.ingest.bronze import bronze_root
from orchestration.ingest.deliveries import plan_deliveries
from orchestration.ingest.detect import detect_format, read_head, unrecognised_reason
from orchestration.ingest.files import file_key, sha256_file, write_parquet_atomic
from orchestration.ingest.ledger import (
    FILE_IDENTITY_SCHEMA,
    LedgerEntry,
    read_ledger,
    write_ledger_entry,
)
from orchestration.ingest.quarantine import write_quarantine
from orchestration.sources import FORMAT_TO_DATASET
from orchestration.sources.result import FILE_REF, RAW_MAX_CHARS, Reject
from orchestration.sources.timestamps import TS_DTYPE

SKIP_NAMES = frozenset({"truth.json"})
UNRECOGNISED = "unrecognised format"
ESCAPES = "path escapes the landing zone"
TRAVERSAL = "file name encodes a path traversal ('..' segment)"
LANDING_SCHEMA: dict[str, pl.DataType] = {
    **FILE_IDENTITY_SCHEMA,
    "modified_at": TS_DTYPE,
    "scanned_at": TS_DTYPE,
    "duplicate_of": pl.String(),
    "previous_checksum": pl.String(),
}
# file_path -> (size_bytes, modified_at, checksum_sha256) of a previous scan
KnownChecksums = Mapping[str, tuple[int, datetime, str]]


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
    return paths.landing_files_path(data_dir)


def list_landing(landing_dir: Path) -> list[Path]:
    """Every landing entry, sorted by relative path (skips truth.json and hidden files/dirs,
    but not a name that encodes a traversal such as `..%2Fetc%2Fpasswd`).

    Folders are walked without following symbolic links; a link is listed as an entry of its
    own (unless it is a link to a folder inside the zone, whose files are listed where they
    live). `escape_reason` tells which entries must not be read.
    """
    out: list[Path] = []
    for dirpath, dirnames, filenames in os.walk(landing_dir, followlinks=False):
        here = Path(dirpath)
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in [*filenames, *dirnames]:
            path = here / name
            if name in SKIP_NAMES or (name.startswith(".") and not encodes_traversal(name)):
                continue
            if path.is_symlink():
                if path.is_dir() and escape_reason(path, landing_dir) is None:
                    continue
                out.append(path)
            elif path.is_file():
                out.append(path)
    return sorted(out, key=lambda p: p.relative_to(landing_dir).as_posix())


def escape_reason(path: Path, landing_dir: Path) -> str | None:
    """Why a landing entry must not be read, or None.

    ESCAPES: it resolves (through symbolic links) outside the landing root, or is a dangling
    link. TRAVERSAL: its relative path, URL-decoded (up to three times), holds a `..` segment
    or starts with `/`, as written by a client that tried to escape its upload folder.
    """
    root = landing_dir.resolve()
    try:
        target = path.resolve(strict=True)
    except (OSError, RuntimeError):  # dangling link, link loop
        return ESCAPES
    if not target.is_relative_to(root):
        return ESCAPES
    if encodes_traversal(path.relative_to(landing_dir).as_posix()):
        return TRAVERSAL
    return None


def encodes_traversal(rel: str) -> bool:
    """Whether a relative path holds a name that, URL-decoded (up to three times), has a `..`
    segment or is absolute (`..%2F..%2Fetc%2Fpasswd`, `%2Fetc%2Fpasswd`, `..%5Cwin.ini`)."""
    for part in rel.split("/"):
        decoded = part
        for _ in range(3):
            decoded = unquote(decoded)
        decoded = decoded.replace("\\", "/")
        if decoded.startswith("/") or ".." in decoded.split("/"):
            return True
    return False


def scan_landing(landing_dir: Path, data_dir: Path) -> LandingScan:
    """Scan the landing zone, write landing_files.parquet, quarantine unrecognised files and
    entries that escape the landing zone (never reading outside it)."""
    frame, rejects = scan_frame(
        landing_dir, read_ledger(data_dir), known=known_checksums(read_landing_files(data_dir))
    )
    for row in frame.filter(pl.col("file_key").is_in(list(rejects))).iter_rows(named=True):
        _quarantine_unrecognised(
            data_dir,
            row["file_key"],
            row["file_path"],
            row["checksum_sha256"],
            row["size_bytes"],
            rejects[row["file_key"]],
        )
    out = landing_files_path(data_dir)
    write_parquet_atomic(frame, out)
    return LandingScan(frame=frame, path=out)


def known_checksums(previous: pl.DataFrame | None) -> dict[str, tuple[int, datetime, str]]:
    """{file_path: (size, modification time, checksum)} of a previous scan (empty if none)."""
    if previous is None:
        return {}
    columns = ("file_path", "size_bytes", "modified_at", "checksum_sha256")
    return {
        rel: (size, modified, checksum)
        for rel, size, modified, checksum in previous.select(columns).iter_rows()
        if checksum and modified is not None
    }


def file_checksum(path: Path, rel: str, stat: os.stat_result, known: KnownChecksums) -> str:
    """The file's SHA-256: the previous scan's when its size and modification time are
    unchanged, else hashed now."""
    cached = known.get(rel)
    if cached is not None:
        size, modified, checksum = cached
        if size == stat.st_size and modified == datetime.fromtimestamp(stat.st_mtime, UTC):
            return checksum
    return sha256_file(path)


def scan_frame(
    landing_dir: Path,
    prior_ledger: pl.DataFrame,
    now: datetime | None = None,
    known: KnownChecksums | None = None,
) -> tuple[pl.DataFrame, dict[str, Reject]]:
    """The landing_files frame of the zone (with its delivery plan against `prior_ledger`) and
    the whole-file reject of every entry of no format, by file_key. Reads only, writes nothing
    (`itot inspect` runs it as it is, with an empty ledger). `known`: a previous scan's
    checksums, reused for files of unchanged size and modification time."""
    landing_dir = landing_dir.resolve()
    known = known or {}
    now = now or datetime.now(UTC)
    rows: list[dict[str, object]] = []
    rejects: dict[str, Reject] = {}
    for path in list_landing(landing_dir) if landing_dir.exists() else []:
        rel = path.relative_to(landing_dir).as_posix()
        key = file_key(rel)
        escape = escape_reason(path, landing_dir)
        if escape == ESCAPES:  # fingerprint the link itself, never what it points to
            stat = path.lstat()
            checksum = hashlib.sha256(os.fsencode(_link_text(path))).hexdigest()
        else:
            stat = path.stat()
            checksum = file_checksum(path, rel, stat, known)
        fmt = None if escape else detect_format(path)
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
                "duplicate_of": None,
                "previous_checksum": None,
            }
        )
        if fmt is None:
            rejects[key] = _unrecognised_reject(path, escape)
    frame = with_delivery_plan(pl.DataFrame(rows, schema=LANDING_SCHEMA), prior_ledger)
    return frame, rejects


def _unrecognised_reject(path: Path, escape: str | None) -> Reject:
    """The whole-file reject of an entry of no format: why, and what it starts with."""
    if escape == ESCAPES:
        return Reject(FILE_REF, ESCAPES, f"symbolic link -> {_link_text(path)}")
    if escape == TRAVERSAL:
        return Reject(FILE_REF, TRAVERSAL, f"file name {unquote(unquote(path.name))!r}")
    try:
        head, _ = read_head(path, RAW_MAX_CHARS)
        raw = head.decode("utf-8", errors="replace")
    except (OSError, EOFError, zlib.error):
        raw = ""
    return Reject(FILE_REF, escape or unrecognised_reason(path), raw)


def with_delivery_plan(frame: pl.DataFrame, prior_ledger: pl.DataFrame) -> pl.DataFrame:
    """The scan with `duplicate_of` and `previous_checksum` filled in from the delivery plan."""
    plan = plan_deliveries(frame, prior_ledger)
    keys = frame.get_column("file_key").to_list()
    return frame.with_columns(
        pl.Series("duplicate_of", [plan[k].duplicate_of for k in keys], dtype=pl.String),
        pl.Series("previous_checksum", [plan[k].previous_checksum for k in keys], dtype=pl.String),
    )


def _link_text(path: Path) -> str:
    try:
        return os.readlink(path) if path.is_symlink() else str(path)
    except OSError:
        return str(path)


def read_landing_files(data_dir: Path) -> pl.DataFrame | None:
    """The last scan's landing_files frame, or None if there was none."""
    path = landing_files_path(data_dir)
    if not path.exists():
        return None
    frame = pl.read_parquet(path)
    return frame if set(LANDING_SCHEMA) <= set(frame.columns) else None  # older layout: rescan


def _quarantine_unrecognised(
    data_dir: Path, key: str, rel: str, checksum: str, size: int, reject: Reject
) -> None:
    # A file that used to be recognised may have left rows in some dataset: drop them.
    bronze = bronze_root(data_dir)
    if bronze.exists():
        for old in bronze.glob(f"*/day=*/{key}.parquet"):
            old.unlink(missing_ok=True)
    for folder in (paths.ledger_dir(data_dir), paths.quarantine_dir(data_dir)):  # secondaries
        for old in folder.glob(f"{key}.*.parquet"):
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
