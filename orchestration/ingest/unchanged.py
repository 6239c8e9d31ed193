"""Which landing files a build need not ingest again: same bytes, same rules, rows still there.

A file's bronze, quarantine and ledger rows are a function of its bytes, the ingest code (parsers
and record rules) and, for the datasets whose rules read it, the landing zone's inventory. The
ledger row records the bytes (`checksum_sha256`) and a fingerprint of the rest (`ingest_context`).
A build skips a file whose ledger row for the dataset says the same checksum, the same context
and the same delivery decision (`duplicate_of`, `previous_checksum`), as long as its bronze rows
are still on disk: re-ingesting it would write the same rows. A new day then costs its own files,
not every period-long file (customers, monthly bills, orders, tickets) again.

What is not in the context: the ingest time. A record dated after "now + 1 day" at its first
ingest stays quarantined until the file is delivered again (or the data folder rebuilt).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from functools import cache
from pathlib import Path

from orchestration.ingest.record_rules import INVENTORY_DATASETS, Inventory

# The code whose change may change a file's rows: every parser and the ingest layer.
_CODE_PACKAGES = ("ingest", "sources")


@cache
def code_fingerprint() -> str:
    """SHA-256 over the ingest and parser modules' sources (path and bytes, in path order)."""
    root = Path(__file__).resolve().parents[1]
    digest = hashlib.sha256()
    for package in _CODE_PACKAGES:
        for path in sorted((root / package).rglob("*.py")):
            digest.update(path.relative_to(root).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def _lines_digest(values: Iterable[str]) -> str:
    return hashlib.sha256("\n".join(sorted(values)).encode()).hexdigest()


def ingest_context(dataset: str, inventory: Inventory | None) -> str:
    """The fingerprint of what decides a file's rows besides its bytes, for one dataset: the
    ingest code, and the known cells for the datasets whose rules check them."""
    parts = [code_fingerprint()]
    if dataset in INVENTORY_DATASETS:
        if inventory is None:
            parts.append("no inventory")
        else:
            parts += [_lines_digest(inventory.cell_ids), _lines_digest(inventory.meas_obj_ldns)]
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:32]


def is_unchanged(
    ledger_row: Mapping[str, object] | None,
    *,
    checksum: str | None,
    duplicate_of: str | None,
    previous_checksum: str | None,
    context: str,
    has_bronze: bool,
) -> bool:
    """Whether ingesting the file again would write what its last ingest wrote.

    `ledger_row`: the file's ledger row for the dataset (None if it has none); the other
    arguments are the file now (the landing scan and its delivery plan) and `has_bronze`,
    whether bronze still holds a file of its rows."""
    if ledger_row is None or not checksum:
        return False
    rows_on_disk = has_bronze or not ledger_row.get("rows_loaded")
    return (
        ledger_row.get("checksum_sha256") == checksum
        and ledger_row.get("ingest_context") == context
        and ledger_row.get("duplicate_of") == duplicate_of
        and ledger_row.get("previous_checksum") == previous_checksum
        and rows_on_disk
    )
