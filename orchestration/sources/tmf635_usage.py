"""TMF635 Usage list -> one row per usage record (subscriber, day, serving cell).

Volumes are in MB (`volumeMB`) and durations in seconds (`durationSec`), read from
`usageCharacteristic[]`; `product_id` is the `productId` characteristic or `product.id` (v5).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polars as pl

from orchestration.sources import tmf_common as t
from orchestration.sources.result import ParseResult
from orchestration.sources.timestamps import TS_DTYPE

FORMAT = "tmf635_usage"
DATASET = "usage"
TYPE_NAMES = ("Usage", "ProductUsage")  # v4 / v5 names of the same resource
SCHEMA: dict[str, pl.DataType] = {
    "usage_id": pl.String(),
    "customer_id": pl.String(),
    "product_id": pl.String(),
    "usage_type": pl.String(),
    "status": pl.String(),
    "usage_date": TS_DTYPE,
    "serving_cell_id": pl.String(),
    "volume_mb": pl.Float64(),
    "duration_s": pl.Float64(),
}


def day_of(rows: pl.DataFrame) -> pl.Series:
    """Bronze day partition: the UTC day of the usage."""
    return rows["usage_date"].dt.date()


def parse(path: Path) -> ParseResult:
    """Parse one TMF635 Usage file; never raises on bad input."""
    return t.parse_resources(path, SCHEMA, t.type_is(*TYPE_NAMES), "Usage", _row)


def _row(res: t.Resource) -> dict[str, Any]:
    chars = t.characteristics(res.get("usageCharacteristic"), "usageCharacteristic")
    return {
        "usage_id": t.require_id(res),
        "customer_id": t.related_party_id(res, "Customer"),
        "product_id": t.text(chars.get("productId")) or t.ref_id(res.get("product")),
        "usage_type": t.text(res.get("usageType")),
        "status": t.text(res.get("status")),
        # v5 ProductUsage may carry only creationDate.
        "usage_date": t.ts(res, "usageDate" if res.get("usageDate") else "creationDate")
        or t.ts(res, "usageDate", required_=True),
        "serving_cell_id": t.text(chars.get("servingCellId")),
        "volume_mb": t.number(chars.get("volumeMB"), "volumeMB"),
        "duration_s": t.number(chars.get("durationSec"), "durationSec"),
    }
