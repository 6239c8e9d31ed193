"""TMF641 ServiceOrder (v4 and v5) -> `service_orders`, one row per order, first item's fields.

A service order is not a product order (different entity, different lifecycle), so it has its
own dataset. v4 `orderDate` / `orderItem` and v5 `creationDate` / `serviceOrderItem` are both
read; states go through the shared mapping table; dates that contradict each other are kept
and flagged (`dates_inconsistent`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polars as pl

from orchestration.sources import tmf_common as t
from orchestration.sources.result import ParseResult
from orchestration.sources.timestamps import TS_DTYPE, RecordError

FORMAT = "tmf641_service_order"
DATASET = "service_orders"
TYPE_NAMES = ("ServiceOrder",)
SCHEMA: dict[str, pl.DataType] = {
    "service_order_id": pl.String(),
    "external_id": pl.String(),
    "customer_id": pl.String(),
    "category": pl.String(),
    "priority": pl.String(),
    "state": pl.String(),
    "creation_at": TS_DTYPE,
    "requested_start_at": TS_DTYPE,
    "requested_completion_at": TS_DTYPE,
    "completion_at": TS_DTYPE,
    "service_id": pl.String(),
    "service_spec_id": pl.String(),
    "service_spec_name": pl.String(),
    "action": pl.String(),
    "item_count": pl.Int32(),
    "characteristics_json": pl.String(),
    "dates_inconsistent": pl.Boolean(),
}


def day_of(rows: pl.DataFrame) -> pl.Series:
    """Bronze day partition: the UTC day the order was created."""
    return rows["creation_at"].dt.date()


def parse(path: Path) -> ParseResult:
    """Parse one TMF641 ServiceOrder file; never raises on bad input."""
    return t.parse_resources(path, SCHEMA, t.type_is(*TYPE_NAMES), "ServiceOrder", _row)


def _row(res: t.Resource) -> dict[str, Any]:
    order_id = t.require_id(res)
    created_field = next((f for f in ("creationDate", "orderDate") if res.get(f)), None)
    if created_field is None:
        raise RecordError("missing creationDate")
    items = t.as_list(res.get("serviceOrderItem") or res.get("orderItem"), "serviceOrderItem")
    first = items[0] if items and isinstance(items[0], dict) else {}
    service = first.get("service") if isinstance(first.get("service"), dict) else {}
    spec = service.get("serviceSpecification")
    spec = spec if isinstance(spec, dict) else {}
    created = t.ts(res, created_field, required_=True)
    start = t.ts(res, "requestedStartDate")
    requested = t.ts(res, "requestedCompletionDate")
    completion = t.ts(res, "completionDate")
    return {
        "service_order_id": order_id,
        "external_id": t.external_id(res),
        "customer_id": t.related_party_id(res, "Customer"),
        "category": t.text(res.get("category")),
        "priority": t.text(res.get("priority")),
        "state": t.normalise_state(res.get("state")),
        "creation_at": created,
        "requested_start_at": start,
        "requested_completion_at": requested,
        "completion_at": completion,
        "service_id": t.text(service.get("id")),
        "service_spec_id": t.text(spec.get("id")),
        "service_spec_name": t.text(spec.get("name")),
        "action": t.text(first.get("action")),
        "item_count": len(items),
        "characteristics_json": t.characteristics_json(service.get("serviceCharacteristic")),
        "dates_inconsistent": t.dates_inconsistent(
            (created, completion), (start, requested), (created, requested)
        ),
    }
