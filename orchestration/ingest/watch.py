"""Watching the landing zone: which files are new since last time, and which days they touch.

`find_new_deliveries` compares the landing zone with what was seen before (the sensor's cursor,
seeded from the ingest ledger so that files already built are not new) and returns, for every
new or changed file, the UTC days it touches per dated dataset. A file is *unchanged* when its
path and checksum were seen before (a touched modification time costs one checksum, no run). A
new file whose bytes were already delivered under another name is a duplicate delivery: it
loads nothing, so it touches no day. Files of no known format touch no day either.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from orchestration.ingest.bronze import dataset_dir
from orchestration.ingest.days import is_dated, parsed_days
from orchestration.ingest.detect import detect_format
from orchestration.ingest.files import file_key, sha256_file
from orchestration.ingest.landing import escape_reason, list_landing
from orchestration.ingest.ledger import read_ledger
from orchestration.sources import FORMAT_DATASETS

MAX_NEW_FILES_PER_CHECK = 200  # the rest are found next time


@dataclass(frozen=True)
class Seen:
    """What was seen of one landing path: its size, modification time (ns) and checksum."""

    size: int
    mtime_ns: int
    checksum: str


@dataclass
class WatchResult:
    """New files (path -> {dataset: days}), duplicates (path -> checksum) and the new state."""

    new_files: dict[str, dict[str, set[str]]] = field(default_factory=dict)
    duplicates: dict[str, str] = field(default_factory=dict)
    state: dict[str, Seen] = field(default_factory=dict)

    @property
    def days(self) -> list[str]:
        """Every day a new file touches, sorted."""
        return sorted({d for per in self.new_files.values() for ds in per.values() for d in ds})


def dump_state(state: dict[str, Seen]) -> str:
    return json.dumps({p: [s.size, s.mtime_ns, s.checksum] for p, s in sorted(state.items())})


def load_state(cursor: str | None) -> dict[str, Seen] | None:
    """The state a cursor holds; None for no (or an unreadable) cursor."""
    if not cursor:
        return None
    try:
        raw = json.loads(cursor)
        return {p: Seen(int(v[0]), int(v[1]), str(v[2])) for p, v in raw.items()}
    except (ValueError, TypeError, IndexError, AttributeError):
        return None


def ledger_checksums(data_dir: Path) -> dict[str, str]:
    """{landing path: checksum} of every file the ingest ledger has seen."""
    ledger = read_ledger(data_dir)
    return dict(ledger.select("file_path", "checksum_sha256").unique("file_path").iter_rows())


def find_new_deliveries(
    landing_dir: Path, data_dir: Path, state: dict[str, Seen] | None
) -> WatchResult:
    """Compare the landing zone with `state` (None: start from the ledger)."""
    landing_dir = landing_dir.resolve()
    known = ledger_checksums(data_dir) if state is None else {}
    previous = state or {}
    seen_checksums = {s.checksum for s in previous.values()} | set(known.values())
    result = WatchResult()
    checked = 0
    for path in list_landing(landing_dir) if landing_dir.exists() else []:
        rel = path.relative_to(landing_dir).as_posix()
        if escape_reason(path, landing_dir) is not None:
            continue  # never read; the next build quarantines it
        stat = path.stat()
        before = previous.get(rel)
        if before and (before.size, before.mtime_ns) == (stat.st_size, stat.st_mtime_ns):
            result.state[rel] = before
            continue
        if checked >= MAX_NEW_FILES_PER_CHECK:
            if before:
                result.state[rel] = before
            continue
        checked += 1
        checksum = sha256_file(path)
        result.state[rel] = Seen(stat.st_size, stat.st_mtime_ns, checksum)
        old = before.checksum if before else known.get(rel)
        if old == checksum:
            continue  # same bytes again under the same name
        if checksum in seen_checksums and stat.st_size:
            result.duplicates[rel] = checksum
            continue
        seen_checksums.add(checksum)
        result.new_files[rel] = _days_by_dataset(landing_dir, data_dir, path, rel)
    return result


def _days_by_dataset(
    landing_dir: Path, data_dir: Path, path: Path, rel: str
) -> dict[str, set[str]]:
    fmt = detect_format(path)
    if fmt is None:
        return {}
    key = file_key(rel)
    out: dict[str, set[str]] = {}
    for dataset in FORMAT_DATASETS.get(fmt, ()):
        if not is_dated(dataset):
            continue
        days = parsed_days(path, fmt, dataset)
        root = dataset_dir(data_dir, dataset)  # days its earlier bytes left, to be replaced
        if root.exists():
            days |= {
                p.parent.name.removeprefix("day=")
                for p in root.glob(f"day=*/{key}.parquet")
                if p.parent.name not in ("day=static", "day=unknown")
            }
        if days:
            out[dataset] = days
    return out
