"""Daily partitions: a plain build records every day it wrote; a backfill of days launched as the UI
launches it rebuilds those days to identical marts; a late file for an old day re-materialises that
day and what is downstream of it.

Every comparison is over the content hashes of every table of serving.duckdb (run stamps, such as
a check's run id, left out: `orchestration.serving.fingerprint`).
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import dagster as dg
import polars as pl
import pytest

from orchestration import paths
from orchestration.defs.ingest_assets import bronze_asset_key
from orchestration.defs.partitions import DAILY, RANGE_END_TAG, RANGE_START_TAG, first_day
from orchestration.ingest.bronze import dataset_dir
from orchestration.ingest.days import bronze_days, is_dated
from orchestration.serving import read_kpis
from orchestration.serving.fingerprint import table_hashes
from orchestration.sources import DATASETS
from tests.kpi_truth import ORDER_KEYS
from tests.ui_backfill import run_ui_backfill

pytestmark = pytest.mark.integration

BACKFILL_DAYS = ["2026-01-15", "2026-01-16"]
FAR_DAY = "2026-02-20"
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


def test_a_plain_build_records_every_day_partition_it_wrote(demo_build) -> None:
    """After `itot build` (no partitions) the UI shows the demo's days built, the rest missing:
    every dated bronze asset has a materialisation for each day folder holding its rows."""
    landing, data = demo_build
    days_in = json.loads((landing / "truth.json").read_text(encoding="utf-8"))["period"]["days"]
    dated = [d for d in DATASETS if is_dated(d)]
    with dg.DagsterInstance.from_config(str(paths.dagster_home(data))) as instance:
        built = {d: instance.get_materialized_partitions(bronze_asset_key(d)) for d in dated}
    for dataset in dated:
        on_disk = set().union(*bronze_days(data, dataset).values())
        assert built[dataset] == on_disk, dataset
    assert len(built["pm_counters"]) == days_in == 59
    assert first_day(data) == min(built["pm_counters"]) == DAILY.get_first_partition_key()
    partitions = set(DAILY.get_partition_keys())
    assert built["pm_counters"] <= partitions and len(partitions) > days_in  # up to today


def _newest_write(folder: Path) -> float:
    """When a file of a bronze day folder was last written (s since the epoch)."""
    return max(path.stat().st_mtime for path in folder.glob("*.parquet"))


@pytest.mark.seconds(80)
def test_a_backfill_of_days_from_the_ui_rebuilds_those_days_to_identical_marts(
    demo_copy, monkeypatch
) -> None:
    """The UI's backfill of two days over every asset ("Materialize all", two partitions):
    the bronze days run in one run (single-run backfill policy), dbt is told exactly those
    days, only those bronze days are rewritten, and every table of serving.duckdb is the same
    as after the full build."""
    from orchestration.definitions import defs

    landing, data = demo_copy
    monkeypatch.setenv(paths.LANDING_ENV, str(landing))
    monkeypatch.setenv(paths.DATA_ENV, str(data))
    snapshot = paths.serving_path(data)
    full = table_hashes(snapshot)
    pm = dataset_dir(data, "pm_counters")
    started = time.time()

    keys = sorted(defs.resolve_asset_graph().get_all_asset_keys())
    backfill_id, runs = run_ui_backfill(paths.dagster_home(data), keys, BACKFILL_DAYS)

    ranges = [
        (r.tags[RANGE_START_TAG], r.tags[RANGE_END_TAG])
        for r in runs
        if r.tags.get(RANGE_START_TAG)
    ]
    assert ranges == [(BACKFILL_DAYS[0], BACKFILL_DAYS[-1])]
    with dg.DagsterInstance.from_config(str(paths.dagster_home(data))) as instance:
        told = [
            entry.user_message
            for run in runs
            for entry in instance.all_logs(run.run_id)
            if entry.user_message.startswith("dbt builds days")
        ]
        latest = {
            day: instance.fetch_materializations(
                dg.AssetRecordsFilter(bronze_asset_key("pm_counters"), asset_partitions=[day]),
                limit=1,
            ).records[0]
            for day in BACKFILL_DAYS
        }
    # dbt runs in the first run (models of unpartitioned sources) and the last (the rest)
    assert told and set(told) == {f"dbt builds days {BACKFILL_DAYS[0]} to {BACKFILL_DAYS[-1]}"}
    assert all(r.run_id in {run.run_id for run in runs} for r in latest.values())
    assert all(_newest_write(pm / f"day={day}") >= started for day in BACKFILL_DAYS)
    assert _newest_write(pm / f"day={FAR_DAY}") < started
    print(f"\nbackfill {backfill_id}: {len(runs)} runs, {time.time() - started:.1f} s")
    assert table_hashes(snapshot) == full


@pytest.mark.seconds(150)
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
