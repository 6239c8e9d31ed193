"""TMF622 ProductOrder list -> one row per order (state at extraction), first item's fields.

`creation_at` is `creationDate` (v5) or `orderDate` (v4); `completion_at` is set for completed
orders only. `channel` is the sales channel's name (role `salesChannel`, else the first one).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polars as pl

from orchestration.sources import tmf_common as t
from orchestration.sources.result import ParseResult
from orchestration.sources.timestamps import TS_DTYPE, RecordError

FORMAT = "tmf622_product_order"
DATASET = "product_orders"
TYPE_NAMES = ("ProductOrder",)
SCHEMA: dict[str, pl.DataType] = {
    "order_id": pl.String(),
    "customer_id": pl.String(),
    "channel": pl.String(),
    "category": pl.String(),
    "priority": pl.String(),
    "state": pl.String(),
    "creation_at": TS_DTYPE,
    "requested_completion_at": TS_DTYPE,
    "completion_at": TS_DTYPE,
    "product_offering_id": pl.String(),
    "product_offering_name": pl.String(),
    "product_id": pl.String(),
    "action": pl.String(),
    "item_count": pl.Int32(),
    # Added columns (docs/data_contracts.md).
    "external_id": pl.String(),
    "characteristics_json": pl.String(),
    "dates_inconsistent": pl.Boolean(),
    # the first item's product characteristics `installType` and `addressStatus`
    "install_type": pl.String(),
    "address_status": pl.String(),
}


def day_of(rows: pl.DataFrame) -> pl.Series:
    """Bronze day partition: the UTC day the order was created."""
    return rows["creation_at"].dt.date()


def parse(path: Path) -> ParseResult:
    """Parse one TMF622 ProductOrder file; never raises on bad input."""
    return t.parse_resources(path, SCHEMA, t.type_is(*TYPE_NAMES), "ProductOrder", _row)


def _row(res: t.Resource) -> dict[str, Any]:
    order_id = t.require_id(res)
    created_field = "creationDate" if res.get("creationDate") else "orderDate"
    if not res.get(created_field):
        raise RecordError("missing creationDate")
    state = t.normalise_state(res.get("state"))
    if not state:
        raise RecordError("missing state")
    items = t.as_list(res.get("productOrderItem"), "productOrderItem")
    first = items[0] if items and isinstance(items[0], dict) else {}
    offering = first.get("productOffering")
    offering = offering if isinstance(offering, dict) else {}
    created = t.ts(res, created_field, required_=True)
    requested = t.ts(res, "requestedCompletionDate")
    completion = t.ts(res, "completionDate")
    product = first.get("product") if isinstance(first.get("product"), dict) else {}
    product_chars = t.characteristics(product.get("productCharacteristic"), "productCharacteristic")
    return {
        "order_id": order_id,
        "customer_id": t.related_party_id(res, "Customer"),
        "channel": _channel(res.get("channel")),
        "category": t.text(res.get("category")),
        "priority": t.text(res.get("priority")),
        "state": state,
        "creation_at": created,
        "requested_completion_at": requested,
        "completion_at": completion,
        "product_offering_id": t.text(offering.get("id")),
        "product_offering_name": t.text(offering.get("name")),
        "product_id": t.ref_id(first.get("product")),
        "action": t.text(first.get("action")),
        "item_count": len(items),
        "external_id": t.external_id(res),
        "characteristics_json": t.characteristics_json(
            res.get("productOrderCharacteristic"), product.get("productCharacteristic")
        ),
        "dates_inconsistent": t.dates_inconsistent((created, completion), (created, requested)),
        "install_type": t.text(product_chars.get("installType")),
        "address_status": t.text(product_chars.get("addressStatus")),
    }


def _channel(channels: Any) -> str | None:
    names: list[tuple[str, str | None]] = []
    for ch in t.as_list(channels, "channel"):
        if not isinstance(ch, dict):
            continue
        inner = ch.get("channel")
        name = t.text(inner.get("name")) if isinstance(inner, dict) else t.text(ch.get("name"))
        names.append((str(ch.get("role", "")), name))
    for role, name in names:
        if role == "salesChannel":
            return name
    return names[0][1] if names else None
