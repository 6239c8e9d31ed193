"""The demo operator, built end to end: rows conserved, marts served, KPIs equal to the truth."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import polars as pl
import pytest

from orchestration import paths
from orchestration.ingest.ledger import read_ledger
from orchestration.serving import read_kpis
from tests.core_marts import CORE_MARTS
from tests.kpi_truth import assert_kpis_equal

pytestmark = pytest.mark.integration


def _truth_kpis(landing: Path) -> dict:
    return json.loads((landing / "truth.json").read_text(encoding="utf-8"))["kpis"]


def test_every_file_conserves_its_rows(demo_build) -> None:
    _, data = demo_build
    ledger = read_ledger(data)
    assert ledger.height > 0
    broken = ledger.filter(pl.col("rows_in") != pl.col("rows_loaded") + pl.col("rows_quarantined"))
    assert broken.is_empty(), broken


def test_every_recognised_seed_file_is_loaded(demo_build) -> None:
    _, data = demo_build
    landing_files = pl.read_parquet(data / "landing_files.parquet")
    recognised = set(landing_files.filter(pl.col("format").is_not_null())["file_path"])
    ledger = read_ledger(data)
    loaded = set(
        ledger.filter(pl.col("status").is_in(["loaded", "partial"]) & (pl.col("rows_loaded") > 0))[
            "file_path"
        ]
    )
    assert recognised, "no recognised landing files"
    assert recognised <= loaded, f"recognised but not loaded: {sorted(recognised - loaded)}"
    assert set(landing_files["file_path"]) <= set(ledger["file_path"]), "file missing from ledger"


def test_serving_snapshot_has_the_marts_and_the_ledger(demo_build) -> None:
    _, data = demo_build
    snapshot = paths.serving_path(data)
    assert snapshot.is_file()
    con = duckdb.connect(str(snapshot), read_only=True)
    try:
        tables = {r[0] for r in con.execute("select table_name from duckdb_tables()").fetchall()}
        assert CORE_MARTS | {"ingest_ledger"} <= tables
        assert con.execute("select count(*) from kpi_headline").fetchone() == (1,)
        assert con.execute("select count(*) from fct_product_orders").fetchone()[0] > 0
    finally:
        con.close()
    assert not list(data.glob("serving.duckdb.tmp-*"))


def test_kpis_equal_the_truth(demo_build) -> None:
    landing, data = demo_build
    assert_kpis_equal(read_kpis(paths.serving_path(data)), _truth_kpis(landing))


def test_no_direct_identifiers_reach_the_serving_snapshot(demo_build) -> None:
    _, data = demo_build
    con = duckdb.connect(str(paths.serving_path(data)), read_only=True)
    try:
        columns = {r[0] for r in con.execute("select column_name from duckdb_columns()").fetchall()}
    finally:
        con.close()
    assert not columns & {"customer_name", "email", "msisdn", "street_address"}
