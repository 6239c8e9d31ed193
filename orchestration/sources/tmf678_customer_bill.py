"""TMF678 CustomerBill list -> one row per bill with its amounts (value and currency).

`bill_date` is the calendar date of `billDate` as written; `period_start`/`period_end` come
from `billingPeriod`. `currency` is the unit of `amountDue` (else of the other amounts).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polars as pl

from orchestration.sources import tmf_common as t
from orchestration.sources.result import ParseResult
from orchestration.sources.timestamps import TS_DTYPE, RecordError

FORMAT = "tmf678_customer_bill"
DATASET = "customer_bills"
TYPE_NAMES = ("CustomerBill",)
SCHEMA: dict[str, pl.DataType] = {
    "bill_id": pl.String(),
    "bill_no": pl.String(),
    "customer_id": pl.String(),
    "billing_account_id": pl.String(),
    "state": pl.String(),
    "bill_date": pl.Date(),
    "period_start": TS_DTYPE,
    "period_end": TS_DTYPE,
    "amount_due": pl.Float64(),
    "tax_included_amount": pl.Float64(),
    "tax_excluded_amount": pl.Float64(),
    "currency": pl.String(),
}


def day_of(rows: pl.DataFrame) -> pl.Series:
    """Bronze day partition: the bill date."""
    return rows["bill_date"]


def parse(path: Path) -> ParseResult:
    """Parse one TMF678 CustomerBill file; never raises on bad input."""
    return t.parse_resources(path, SCHEMA, t.type_is(*TYPE_NAMES), "CustomerBill", _row)


def _row(res: t.Resource) -> dict[str, Any]:
    period = res.get("billingPeriod") or {}
    if not isinstance(period, dict):
        raise RecordError("billingPeriod is not an object")
    due, due_unit = t.amount(res.get("amountDue"), "amountDue")
    incl, incl_unit = t.amount(res.get("taxIncludedAmount"), "taxIncludedAmount")
    excl, excl_unit = t.amount(res.get("taxExcludedAmount"), "taxExcludedAmount")
    return {
        "bill_id": t.require_id(res),
        "bill_no": t.text(res.get("billNo")),
        "customer_id": t.related_party_id(res, "Customer"),
        "billing_account_id": t.ref_id(res.get("billingAccount")),
        "state": t.text(res.get("state")),
        "bill_date": t.date_of(res.get("billDate"), "billDate", required_=True),
        "period_start": t.ts(period, "startDateTime"),
        "period_end": t.ts(period, "endDateTime"),
        "amount_due": due,
        "tax_included_amount": incl,
        "tax_excluded_amount": excl,
        "currency": due_unit or incl_unit or excl_unit,
    }
