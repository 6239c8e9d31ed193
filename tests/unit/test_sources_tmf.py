"""TMF Open API parsers: each on its fixture, plus bad records, v4 shapes and bad files."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path
from types import ModuleType

import pytest

from orchestration.sources import (
    tmf621_trouble_ticket,
    tmf622_order_event,
    tmf622_product_order,
    tmf629_customer,
    tmf635_usage,
    tmf678_billing_rate,
    tmf678_customer_bill,
)

LANDING = Path(__file__).parents[1] / "fixtures" / "landing"
CASES: list[tuple[ModuleType, str, int]] = [
    (tmf629_customer, "customers/tmf629_customers.json", 2),
    (tmf622_product_order, "orders/tmf622_product_orders.json", 2),
    (tmf622_order_event, "orders/tmf622_order_events_202401.json", 3),
    (tmf621_trouble_ticket, "tickets/tmf621_trouble_tickets.json", 2),
    (tmf678_customer_bill, "bills/tmf678_customer_bills_202401.json", 1),
    (tmf678_billing_rate, "bills/tmf678_billing_rates_202401.json", 2),
    (tmf635_usage, "usage/tmf635_usage_20240101.json", 2),
]


@pytest.mark.parametrize("module,rel,n", CASES, ids=[c[0].FORMAT for c in CASES])
def test_happy_path(module: ModuleType, rel: str, n: int) -> None:
    result = module.parse(LANDING / rel)
    assert result.rejects == []
    assert result.rows.height == result.rows_in == n
    assert dict(result.rows.schema) == module.SCHEMA
    assert result.record_refs == [f"[{i}]" for i in range(n)]


@pytest.mark.parametrize("module,rel,n", CASES, ids=[c[0].FORMAT for c in CASES])
def test_bad_record_and_wrong_type(module: ModuleType, rel: str, n: int, tmp_path: Path) -> None:
    resources = json.loads((LANDING / rel).read_text())
    no_id = dict(resources[0])
    no_id.pop("id", None)
    no_id.pop("eventId", None)
    wrong = dict(resources[0], **{"@type": "Banana"})
    path = tmp_path / "x.json"
    path.write_text(json.dumps([*resources, no_id, wrong, "not-an-object"]))
    result = module.parse(path)
    assert result.rows.height == n and result.rows_in == n + 3
    reasons = [r.reason for r in result.rejects]
    assert reasons[0] in ("missing id", "missing eventId")
    assert reasons[1].startswith("unexpected @type 'Banana'")
    assert reasons[2] == "resource is not an object"
    assert [r.record_ref for r in result.rejects] == [f"[{n}]", f"[{n + 1}]", f"[{n + 2}]"]


@pytest.mark.parametrize("module", [c[0] for c in CASES], ids=[c[0].FORMAT for c in CASES])
@pytest.mark.parametrize("content", [b"", b"[{", b"42"])
def test_malformed_file(module: ModuleType, content: bytes, tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_bytes(content)
    result = module.parse(path)
    assert result.rows_in == 1 and result.rows.height == 0
    assert result.rejects[0].record_ref == "<file>"


def test_items_wrapper_and_single_object(tmp_path: Path) -> None:
    resources = json.loads((LANDING / "tickets/tmf621_trouble_tickets.json").read_text())
    wrapped = tmp_path / "w.json"
    wrapped.write_text(json.dumps({"items": resources}))
    single = tmp_path / "s.json"
    single.write_text(json.dumps(resources[0]))
    assert tmf621_trouble_ticket.parse(wrapped).rows.height == 2
    assert tmf621_trouble_ticket.parse(single).rows.height == 1


def test_customer_fields() -> None:
    rows = tmf629_customer.parse(LANDING / "customers/tmf629_customers.json").rows.to_dicts()
    ada, grace = rows
    assert ada["email"] == "ada@example.org" and ada["msisdn"] == "+4915100000001"
    assert ada["street_address"] == "1 Analytical Way" and ada["account_id"] == "ACC-0000001"
    assert (ada["segment"], ada["region"], ada["plan"], ada["home_cell_id"]) == (
        "consumer",
        "North",
        "unlimited",
        "CELL-000001",
    )
    assert ada["terminated_at"] is None
    assert grace["created_at"] == datetime(2022, 7, 1, 10, 30, tzinfo=UTC)  # +02:00 -> UTC
    assert grace["terminated_at"] == datetime(2024, 1, 1, 18, tzinfo=UTC)


def test_order_fields_v5_and_v4() -> None:
    v5, v4 = tmf622_product_order.parse(
        LANDING / "orders/tmf622_product_orders.json"
    ).rows.to_dicts()
    assert v5["customer_id"] == "CUST-0000001" and v5["channel"] == "online"
    assert v5["product_offering_id"] == "OFF-5G-UNL" and v5["product_id"] == "PRD-0000001"
    assert v5["completion_at"] == datetime(2024, 1, 1, 20, tzinfo=UTC) and v5["item_count"] == 1
    assert v4["customer_id"] == "CUST-0000002"  # flat v4 relatedParty
    assert v4["priority"] == "2" and v4["item_count"] == 2 and v4["completion_at"] is None
    assert v4["creation_at"] == datetime(2024, 1, 2, 1, 30, tzinfo=UTC)


def test_order_event_fields_and_bad_timestamp(tmp_path: Path) -> None:
    src = LANDING / "orders/tmf622_order_events_202401.json"
    rows = tmf622_order_event.parse(src).rows.to_dicts()
    assert rows[2]["event_time_utc"] == datetime(2024, 1, 1, 20, tzinfo=UTC)
    assert rows[1]["event_time_utc"] == datetime(2024, 1, 1, 9, 0, 0, 250000, tzinfo=UTC)
    assert (rows[0]["order_id"], rows[0]["state"]) == ("PO-0000001", "acknowledged")
    events = json.loads(src.read_text())
    events[0]["eventTime"] = "xyz"
    events[1]["eventTime"] = "2024-01-01T09:00:00"  # no offset: ambiguous
    path = tmp_path / "e.json"
    path.write_text(json.dumps(events))
    reasons = [r.reason for r in tmf622_order_event.parse(path).rejects]
    assert reasons == [
        "unparseable timestamp 'xyz' in eventTime",
        "timestamp without offset '2024-01-01T09:00:00' in eventTime",
    ]


def test_ticket_bill_rate_usage_fields() -> None:
    t1, t2 = tmf621_trouble_ticket.parse(
        LANDING / "tickets/tmf621_trouble_tickets.json"
    ).rows.to_dicts()
    assert t1["cell_id"] == "CELL-000002" and t1["customer_id"] is None
    assert t2["customer_id"] == "CUST-0000001" and t2["resolution_at"] is None
    (bill,) = tmf678_customer_bill.parse(
        LANDING / "bills/tmf678_customer_bills_202401.json"
    ).rows.to_dicts()
    assert bill["bill_date"] == date(2024, 1, 1) and bill["amount_due"] == 35.7
    assert bill["currency"] == "EUR" and bill["customer_id"] == "CUST-0000001"
    assert bill["period_start"] == datetime(2023, 12, 1, tzinfo=UTC)
    rates = tmf678_billing_rate.parse(LANDING / "bills/tmf678_billing_rates_202401.json").rows
    assert (
        rates["amount"].to_list() == [30.0, 0.0]
        and rates["bill_id"].to_list() == ["BILL-0000001"] * 2
    )
    usage = tmf635_usage.parse(LANDING / "usage/tmf635_usage_20240101.json").rows.to_dicts()
    assert usage[0]["serving_cell_id"] == "CELL-000001" and usage[0]["volume_mb"] == 1532.25
    assert usage[0]["duration_s"] == 7200.0 and usage[0]["product_id"] == "PRD-0000001"


def test_non_numeric_amount_is_rejected(tmp_path: Path) -> None:
    rates = json.loads((LANDING / "bills/tmf678_billing_rates_202401.json").read_text())
    rates[0]["taxExcludedAmount"]["value"] = "ten"
    path = tmp_path / "r.json"
    path.write_text(json.dumps(rates))
    result = tmf678_billing_rate.parse(path)
    assert [r.reason for r in result.rejects] == ["non-numeric taxExcludedAmount.value 'ten'"]
