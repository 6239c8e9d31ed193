"""TMF629 Customer list -> one row per customer (party, contact, account and segment fields).

`created_at` is `validFor.startDateTime`, `terminated_at` its `endDateTime` (the churn time).
Contact media are read in the v4 shape (`mediumType` + `characteristic`) and the v5 shape
(typed, flat fields).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import polars as pl

from orchestration.sources import tmf_common as t
from orchestration.sources.result import ParseResult
from orchestration.sources.timestamps import TS_DTYPE, RecordError, parse_iso_utc

FORMAT = "tmf629_customer"
DATASET = "customers"
TYPE_NAMES = ("Customer",)
SCHEMA: dict[str, pl.DataType] = {
    "customer_id": pl.String(),
    "customer_name": pl.String(),
    "email": pl.String(),
    "msisdn": pl.String(),
    "street_address": pl.String(),
    "segment": pl.String(),
    "region": pl.String(),
    "plan": pl.String(),
    "home_cell_id": pl.String(),
    "account_id": pl.String(),
    "status": pl.String(),
    "created_at": TS_DTYPE,
    "terminated_at": TS_DTYPE,
    # Added column (docs/data_contracts.md): characteristic `customerSince` (tenure start).
    "customer_since": pl.Date(),
}
STATIC = True  # bronze day partition: day=static


def parse(path: Path) -> ParseResult:
    """Parse one TMF629 Customer file; never raises on bad input."""
    return t.parse_resources(path, SCHEMA, t.type_is(*TYPE_NAMES), "Customer", _row)


def _row(res: t.Resource) -> dict[str, Any]:
    valid_for = res.get("validFor") or {}
    if not isinstance(valid_for, dict):
        raise RecordError("validFor is not an object")
    # Customers land in day=static, so a missing start date does not block loading.
    start = valid_for.get("startDateTime")
    end = valid_for.get("endDateTime")
    chars = t.characteristics(res.get("characteristic"), "characteristic")
    engaged = res.get("engagedParty")
    name = t.text(res.get("name"))
    if not name and isinstance(engaged, dict):
        name = t.text(engaged.get("name"))
    email, msisdn, street = _contacts(res.get("contactMedium"))
    accounts = t.as_list(res.get("account"), "account")
    return {
        "customer_id": t.require_id(res),
        "customer_name": name,
        "email": email,
        "msisdn": msisdn,
        "street_address": street,
        "segment": t.text(chars.get("segment")),
        "region": t.text(chars.get("region")),
        "plan": t.text(chars.get("plan")),
        "home_cell_id": t.text(chars.get("homeCellId")),
        "account_id": t.ref_id(accounts[0]) if accounts else None,
        "status": t.text(res.get("status")),
        "created_at": parse_iso_utc(start, "validFor.startDateTime") if start else None,
        "terminated_at": parse_iso_utc(end, "validFor.endDateTime") if end else None,
        "customer_since": _date(chars.get("customerSince")),
    }


def _date(value: Any) -> date | None:
    """An ISO date (`YYYY-MM-DD`, a timestamp's date part is used); anything else loads as
    null: the characteristic is optional and never costs the customer record."""
    text = t.text(value)
    try:
        return date.fromisoformat(text[:10]) if text else None
    except ValueError:
        return None


def _contacts(media: Any) -> tuple[str | None, str | None, str | None]:
    email = msisdn = street = None
    any_phone = None
    for cm in t.as_list(media, "contactMedium"):
        if not isinstance(cm, dict):
            continue
        fields = dict(cm)
        if isinstance(cm.get("characteristic"), dict):  # v4: details in characteristic
            fields.update(cm["characteristic"])
        kind = str(fields.get("mediumType") or fields.get("contactType") or fields.get("@type"))
        kind = kind.lower()
        if email is None and fields.get("emailAddress"):
            email = t.text(fields["emailAddress"])
        if fields.get("phoneNumber"):
            if msisdn is None and "mobile" in kind:
                msisdn = t.text(fields["phoneNumber"])
            any_phone = any_phone or t.text(fields["phoneNumber"])
        if street is None and fields.get("street1"):
            street = t.text(fields["street1"])
    return email, msisdn or any_phone, street
