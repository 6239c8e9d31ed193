"""TMF621 TroubleTicket list -> one row per ticket, with its customer and affected cell.

`cell_id` comes from the related entity with role `affectedCell` (or `@referredType: Cell`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polars as pl

from orchestration.sources import tmf_common as t
from orchestration.sources.result import ParseResult
from orchestration.sources.timestamps import TS_DTYPE

FORMAT = "tmf621_trouble_ticket"
DATASET = "trouble_tickets"
TYPE_NAMES = ("TroubleTicket",)
SCHEMA: dict[str, pl.DataType] = {
    "ticket_id": pl.String(),
    "customer_id": pl.String(),
    "cell_id": pl.String(),
    "ticket_type": pl.String(),
    "severity": pl.String(),
    "priority": pl.String(),
    "status": pl.String(),
    "creation_at": TS_DTYPE,
    "resolution_at": TS_DTYPE,
    "last_update_at": TS_DTYPE,
    # Added column (docs/data_contracts.md): resolution before creation, kept and flagged.
    "dates_inconsistent": pl.Boolean(),
}


def day_of(rows: pl.DataFrame) -> pl.Series:
    """Bronze day partition: the UTC day the ticket was created."""
    return rows["creation_at"].dt.date()


def parse(path: Path) -> ParseResult:
    """Parse one TMF621 TroubleTicket file; never raises on bad input."""
    return t.parse_resources(path, SCHEMA, t.type_is(*TYPE_NAMES), "TroubleTicket", _row)


def _row(res: t.Resource) -> dict[str, Any]:
    created = t.ts(res, "creationDate", required_=True)
    resolved = t.ts(res, "resolutionDate")
    return {
        "ticket_id": t.require_id(res),
        "customer_id": t.related_party_id(res, "Customer"),
        "cell_id": _cell(res.get("relatedEntity")),
        "ticket_type": t.text(res.get("ticketType")),
        "severity": t.text(res.get("severity")),
        "priority": t.text(res.get("priority")),
        "status": t.normalise_state(res.get("status")),
        "creation_at": created,
        "resolution_at": resolved,
        "last_update_at": t.ts(res, "lastUpdate"),
        "dates_inconsistent": t.dates_inconsistent((created, resolved)),
    }


def _cell(entities: Any) -> str | None:
    for rel in t.as_list(entities, "relatedEntity"):
        if not isinstance(rel, dict):
            continue
        entity = rel.get("entity") if isinstance(rel.get("entity"), dict) else rel  # v5 / v4
        if rel.get("role") == "affectedCell" or entity.get("@referredType") == "Cell":
            return t.text(entity.get("id"))
    return None
