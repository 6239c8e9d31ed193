"""TMF678 AppliedCustomerBillingRate list -> one row per rate (a product's charge on a bill).

`amount` is the tax-excluded amount; `bill_id` is `bill.id` (v4) or `customerBill.id` (v5).
Products that are active but never billed have no rate: that absence is what revenue-leakage
checks look for.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polars as pl

from orchestration.sources import tmf_common as t
from orchestration.sources.result import ParseResult
from orchestration.sources.timestamps import TS_DTYPE

FORMAT = "tmf678_billing_rate"
DATASET = "billing_rates"
TYPE_NAMES = ("AppliedCustomerBillingRate",)
SCHEMA: dict[str, pl.DataType] = {
    "rate_id": pl.String(),
    "bill_id": pl.String(),
    "product_id": pl.String(),
    "billing_account_id": pl.String(),
    "rate_type": pl.String(),
    "rate_name": pl.String(),
    "rate_date": TS_DTYPE,
    "amount": pl.Float64(),
    "currency": pl.String(),
}


def day_of(rows: pl.DataFrame) -> pl.Series:
    """Bronze day partition: the UTC day of the rate."""
    return rows["rate_date"].dt.date()


def parse(path: Path) -> ParseResult:
    """Parse one TMF678 AppliedCustomerBillingRate file; never raises on bad input."""
    return t.parse_resources(
        path, SCHEMA, t.type_is(*TYPE_NAMES), "AppliedCustomerBillingRate", _row
    )


def _row(res: t.Resource) -> dict[str, Any]:
    value, unit = t.amount(res.get("taxExcludedAmount"), "taxExcludedAmount")
    return {
        "rate_id": t.require_id(res),
        "bill_id": t.ref_id(res.get("bill")) or t.ref_id(res.get("customerBill")),
        "product_id": t.ref_id(res.get("product")),
        "billing_account_id": t.ref_id(res.get("billingAccount")),
        "rate_type": t.text(res.get("type")),
        "rate_name": t.text(res.get("name")),
        "rate_date": t.ts(res, "date", required_=True),
        "amount": value,
        "currency": unit,
    }
