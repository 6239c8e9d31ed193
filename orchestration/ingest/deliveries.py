"""Which landing file's bytes are loaded: the ledger keyed by file checksum.

A file delivered twice (the same bytes under the same or another name) is loaded once; every
other copy is a *duplicate delivery*: it keeps a ledger row (status `duplicate`, zero rows, the
path of the copy that was loaded) and has no rows in bronze or quarantine, so nothing is counted
twice. A corrected re-delivery of a file name (same name, other bytes) is simply that file's new
content: ingest replaces its bronze and quarantine rows, and the ledger row keeps the checksum it
replaced (`previous_checksum`).

`plan_deliveries` decides, once per landing scan, which file owns each checksum. It is a pure
function of the scan and the ledger as it was before, and a fixed point of its own result: run it
again on the ledger it produced and it makes the same choice, so re-runs never flip a decision.

Owner of a checksum, in order of precedence:
1. a file that already loaded these bytes (per the ledger) and still holds them;
2. none, when a file that loaded these bytes has left the landing zone (its rows stay in bronze):
   every current copy is a duplicate of it;
3. otherwise the earliest delivered copy (modification time, then path).
Files of no known format and empty files are never duplicates: they load nothing anyway and are
quarantined on their own.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

DUPLICATE = "duplicate"


@dataclass(frozen=True)
class Delivery:
    """The plan for one landing file: loaded, or a duplicate of `duplicate_of` (a file path)."""

    file_key: str
    file_path: str
    checksum: str
    duplicate_of: str | None
    previous_checksum: str | None

    @property
    def is_duplicate(self) -> bool:
        return self.duplicate_of is not None


def plan_deliveries(scan: pl.DataFrame, prior_ledger: pl.DataFrame) -> dict[str, Delivery]:
    """The delivery plan of every scanned file, by file_key.

    `scan` has the landing_files columns (file_key, file_path, format, checksum_sha256,
    size_bytes, modified_at); `prior_ledger` the ledger rows before this scan (only a file's
    primary row, `dataset` of its format, matters; any row of the key will do for its checksum).
    """
    loaded_by_key, last_seen = _loaded_before(prior_ledger)
    current_keys = set(scan.get_column("file_key").to_list())
    # checksums whose rows stay in bronze through a file that has left the landing zone
    orphan_owner: dict[str, str] = {}
    for key, (checksum, path) in sorted(loaded_by_key.items(), key=lambda kv: kv[1][1]):
        if key not in current_keys:
            orphan_owner.setdefault(checksum, path)

    candidates: dict[str, list[tuple]] = {}
    for row in scan.sort("file_path").iter_rows(named=True):
        if row["format"] is None or not row["size_bytes"]:
            continue
        candidates.setdefault(row["checksum_sha256"], []).append(
            (row["modified_at"], row["file_path"], row["file_key"])
        )

    owner_path: dict[str, str | None] = {}  # checksum -> owning file path (None: owner is us)
    owner_key: dict[str, str] = {}
    for checksum, files in candidates.items():
        keeping = sorted(
            (path, key) for _, path, key in files if loaded_by_key.get(key, (None,))[0] == checksum
        )
        if keeping:
            owner_key[checksum] = keeping[0][1]
        elif checksum in orphan_owner:
            owner_path[checksum] = orphan_owner[checksum]
        else:
            earliest = min(files, key=lambda f: (_sortable(f[0]), f[1]))
            owner_key[checksum] = earliest[2]

    plan: dict[str, Delivery] = {}
    paths = dict(zip(scan.get_column("file_key"), scan.get_column("file_path"), strict=True))
    for row in scan.iter_rows(named=True):
        key, checksum = row["file_key"], row["checksum_sha256"]
        duplicate_of: str | None = None
        if checksum in candidates:
            if checksum in owner_path:
                duplicate_of = owner_path[checksum]
            elif owner_key[checksum] != key:
                duplicate_of = paths[owner_key[checksum]]
        plan[key] = Delivery(
            file_key=key,
            file_path=row["file_path"],
            checksum=checksum,
            duplicate_of=duplicate_of,
            previous_checksum=_previous(last_seen.get(key), checksum),
        )
    return plan


def _previous(seen: tuple[str, str | None] | None, checksum: str) -> str | None:
    """The checksum a delivery replaced: the ledger's, if it differs; else the ledger's own
    `previous_checksum` (a re-run of a corrected delivery still names what it replaced)."""
    if seen is None:
        return None
    last, previous = seen
    return last if last != checksum else previous


def _loaded_before(
    ledger: pl.DataFrame,
) -> tuple[dict[str, tuple[str, str]], dict[str, tuple[str, str | None]]]:
    """(key -> (checksum, path) of files that loaded their bytes,
    key -> (last checksum, its previous_checksum) as the ledger holds them)."""
    loaded: dict[str, tuple[str, str]] = {}
    seen: dict[str, tuple[str, str | None]] = {}
    if ledger.is_empty():
        return loaded, seen
    for row in ledger.sort("file_path").iter_rows(named=True):
        key, checksum = row["file_key"], row["checksum_sha256"]
        if not checksum:
            continue
        seen.setdefault(key, (checksum, row.get("previous_checksum")))
        if row["status"] != DUPLICATE and row.get("format") is not None:
            loaded.setdefault(key, (checksum, row["file_path"]))
    return loaded, seen


def _sortable(value: object) -> tuple[int, object]:
    return (1, 0) if value is None else (0, value)
