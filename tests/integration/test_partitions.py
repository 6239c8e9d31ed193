"""Daily partitions: materialising a day twice gives identical marts; a late file for an old day
re-materialises that day and what is downstream of it.

Every comparison is over the content hashes of every table of serving.duckdb (run stamps, such as
a check's run id, left out: `orchestration.serving.fingerprint`).
"""

from __future__ import annotations

import json

import polars as pl
import pytest

from orchestration import paths
from orchestration.serving import read_kpis
from orchestration.serving.fingerprint import table_hashes
from tests.kpi_truth import ORDER_KEYS

pytestmark = pytest.mark.integration

DAY = "2026-01-15"
LATE_DAY = "2026-01-10"


def _late_order() -> dict:
    """A completed, on-time order created on LATE_DAY that the first deliveries did not hold."""
    return {
        "id": "PO-LATE-0001",
        "@type": "ProductOrder",
        "category": "B2C product order",
        "creationDate": f"{LATE_DAY}T09:00:00Z",
        "requestedCompletionDate": "2026-01-12T09:00:00Z",
        "completionDate": "2026-01-11T15:30:00Z",
        "state": "completed",
        "priority": "4",
        "channel": [{"role": "salesChannel", "channel": {"id": "CH-01", "name": "Online"}}],
        "relatedParty": [
            {
                "role": "Customer",
                "partyOrPartyRole": {"id": "CUST-0000001", "@referredType": "Customer"},
            }
        ],
        "productOrderItem": [
            {
                "id": "1",
                "quantity": 1,
                "action": "add",
                "productOffering": {"id": "PO-ADD-ROAM", "name": "Roaming Pass"},
                "product": {"id": "PRD-0000001"},
                "state": "completed",
            }
        ],
    }


def test_a_day_materialised_twice_gives_identical_marts(demo_copy, run_build) -> None:
    """The full build materialised every day once; running DAY again changes no table."""
    landing, data = demo_copy
    snapshot = paths.serving_path(data)
    full = table_hashes(snapshot)

    again = run_build(landing, data, days=(DAY, DAY))
    twice = table_hashes(snapshot)

    print(f"\nhashes after the full build and after day {DAY} again:")
    for table in sorted(full):
        print(f"  {table:30} {full[table]} {twice[table]}")
    assert twice == full
    assert "bronze_pm_counters" in again.materialized and "serving_snapshot" in again.materialized


def test_a_late_file_for_an_old_day_rematerialises_that_day(demo_copy, run_build) -> None:
    landing, data = demo_copy
    snapshot = paths.serving_path(data)
    before = read_kpis(snapshot)
    days_in = json.loads((landing / "truth.json").read_text(encoding="utf-8"))["period"]["days"]
    late = landing / "orders" / "late" / "tmf622_product_orders_late.json"
    late.parent.mkdir(parents=True)
    late.write_text(json.dumps([_late_order()]), encoding="utf-8")

    result = run_build(landing, data, days=(LATE_DAY, LATE_DAY))
    after_once = table_hashes(snapshot)
    kpis = read_kpis(snapshot)
    completed = before["orders_completed"] + 1
    on_time = round(before["on_time_delivery_pct"] * before["orders_completed"] / 100) + 1
    assert {key: kpis[key] for key in ORDER_KEYS} == {
        "orders_completed": completed,
        "order_throughput_per_day": round(completed / days_in, 4),
        "on_time_delivery_pct": round(100.0 * on_time / completed, 4),
    }
    rows = pl.read_parquet(data / f"bronze/product_orders/day={LATE_DAY}/*.parquet")
    assert "PO-LATE-0001" in rows["order_id"].to_list()
    assert {"bronze_product_orders", "fct_product_orders", "kpi_headline", "serving_snapshot"} <= (
        set(result.materialized)
    )

    run_build(landing, data, days=(LATE_DAY, LATE_DAY))  # and again: nothing moves
    assert table_hashes(snapshot) == after_once
