"""Re-deliveries through a real build: a duplicate changes nothing, a correction replaces rows."""

from __future__ import annotations

import gzip
import json
import os
import re
import shutil
from datetime import datetime, timedelta
from pathlib import Path

import duckdb
import polars as pl
import pytest

from orchestration import paths
from orchestration.ingest.ledger import read_ledger
from orchestration.serving import read_kpis
from orchestration.serving.fingerprint import mart_hashes
from tests.kpi_truth import ORDER_KEYS, assert_kpis_equal

pytestmark = pytest.mark.integration

ORDERS = "orders/tmf622_product_orders.json"
PM = "pm/ENM-01/A20260102.0000+0000-20260103.0000+0000_ENM-01.xml.gz"
ALARMS = "alarms/ves_faults_20260105.json"
QUALITY = "fct_data_quality_results"
NETWORK_KEYS = ("incidents_detected", "mttr_median_hours", "tickets_resolved", "nps")


def _deliver_copy(landing: Path, rel: str, copy: str) -> None:
    target = landing / copy
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(landing / rel, target)
    later = (landing / rel).stat().st_mtime + 3600
    os.utime(target, (later, later))


def _bronze_rows(data: Path) -> dict[str, int]:
    return {
        folder.name: pl.scan_parquet(folder / "**" / "*.parquet").select(pl.len()).collect().item()
        for folder in sorted((data / "bronze").iterdir())
        if folder.is_dir()
    }


@pytest.mark.seconds(85)
def test_a_duplicate_delivery_changes_no_mart(demo_copy, run_build) -> None:
    """A second plain build over the same data, plus three files delivered again under other
    names: nothing moves, and the KPIs still equal the truth."""
    landing, data = demo_copy
    snapshot = paths.serving_path(data)
    marts, kpis, rows = mart_hashes(snapshot), read_kpis(snapshot), _bronze_rows(data)
    for rel, copy in (
        (ORDERS, "orders/resent/product_orders_again.json"),
        (PM, "pm/ENM-01/resent_A20260102.xml.gz"),
        (ALARMS, "alarms/ves_faults_20260105_retry.json"),
    ):
        _deliver_copy(landing, rel, copy)

    run_build(landing, data)

    assert read_kpis(snapshot) == kpis
    assert_kpis_equal(kpis, json.loads((landing / "truth.json").read_text("utf-8"))["kpis"])
    # Every mart but the check results: the freshness checks rightly see the copies as the
    # newest arrivals of their sources (landing file times), which changes their observed lag.
    after = mart_hashes(snapshot)
    assert {t: h for t, h in after.items() if t != QUALITY} == {
        t: h for t, h in marts.items() if t != QUALITY
    }
    assert _bronze_rows(data) == rows
    ledger = read_ledger(data)
    duplicates = ledger.filter(pl.col("status") == "duplicate")
    assert dict(duplicates.select("file_path", "duplicate_of").iter_rows()) == {
        "orders/resent/product_orders_again.json": ORDERS,
        "pm/ENM-01/resent_A20260102.xml.gz": PM,
        "alarms/ves_faults_20260105_retry.json": ALARMS,
    }
    assert duplicates["rows_loaded"].sum() == duplicates["rows_in"].sum() == 0


def _late(order: dict) -> dict:
    requested = datetime.fromisoformat(order["requestedCompletionDate"].replace("Z", "+00:00"))
    late = (requested + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    return {**order, "completionDate": late}


@pytest.mark.seconds(85)
def test_a_corrected_delivery_replaces_the_rows_of_its_file(demo_copy, run_build) -> None:
    landing, data = demo_copy
    snapshot = paths.serving_path(data)
    before = read_kpis(snapshot)
    on_time = round(before["on_time_delivery_pct"] * before["orders_completed"] / 100)
    old_rows = _bronze_rows(data)["product_orders"]
    old_checksum = read_ledger(data).filter(pl.col("file_path") == ORDERS)["checksum_sha256"][0]

    # The correction: one order completed on time (well inside the period) was in fact late.
    orders = json.loads((landing / ORDERS).read_text(encoding="utf-8"))
    index = next(
        i
        for i, o in enumerate(orders)
        if o.get("state") == "completed"
        and o.get("completionDate")
        and o["completionDate"] <= o["requestedCompletionDate"] < "2026-02-20"
        and o["creationDate"] >= "2026-01-02"
    )
    orders[index] = _late(orders[index])
    (landing / ORDERS).write_text(
        "[\n" + ",\n".join(json.dumps(o, separators=(",", ":")) for o in orders) + "\n]\n",
        encoding="utf-8",
    )

    run_build(landing, data)

    after = read_kpis(snapshot)
    completed = before["orders_completed"]
    assert {k: after[k] for k in ORDER_KEYS} == {
        "orders_completed": completed,
        "order_throughput_per_day": before["order_throughput_per_day"],
        "on_time_delivery_pct": round(100.0 * (on_time - 1) / completed, 4),
    }
    assert {k: after[k] for k in NETWORK_KEYS} == {k: before[k] for k in NETWORK_KEYS}
    assert _bronze_rows(data)["product_orders"] == old_rows  # replaced, not appended
    row = read_ledger(data).filter(pl.col("file_path") == ORDERS).row(0, named=True)
    assert row["status"] == "loaded" and row["previous_checksum"] == old_checksum
    assert row["checksum_sha256"] != old_checksum


def _degraded_periods(snapshot: Path) -> dict[str, int]:
    with duckdb.connect(str(snapshot), read_only=True) as con:
        rows = con.execute(
            "select cast(date_day as varchar), sum(periods_degraded) "
            "from fct_cell_quality_hourly group by all"
        ).fetchall()
    return dict(rows)


@pytest.mark.seconds(85)
def test_a_corrected_old_pm_file_rebuilds_its_day_in_a_plain_build(demo_copy, run_build) -> None:
    """The per-day incremental models rebuild an old day whose bronze changed, not only new days."""
    landing, data = demo_copy
    snapshot = paths.serving_path(data)
    before = _degraded_periods(snapshot)
    day = "2026-01-02"

    # The correction: the first cell of the file was down for its whole first period.
    path = landing / PM
    xml = gzip.decompress(path.read_bytes()).decode("utf-8")
    first = re.search(r"<measResults>([^<]*)</measResults>", xml)
    values = first.group(1).split()
    assert values[-1] == "0", "the first period of the file was already unavailable"
    corrected = " ".join([*values[:-1], "900"])
    xml = xml[: first.start(1)] + corrected + xml[first.end(1) :]
    path.write_bytes(gzip.compress(xml.encode("utf-8"), mtime=0))
    later = path.stat().st_mtime + 3600
    os.utime(path, (later, later))

    result = run_build(landing, data)  # a plain build: no --from-day

    after = _degraded_periods(snapshot)
    assert after[day] == before[day] + 1
    assert {d: n for d, n in after.items() if d != day} == {
        d: n for d, n in before.items() if d != day
    }
    assert "fct_cell_quality_hourly" in result.materialized
