"""AppTest checks of every dashboard page against the demo operator's `truth.json`.

The pages read the serving snapshot built by the session fixture `demo_build` (tests/conftest.py).
Figures are read from what the page shows (a tile's exact value is in its tooltip) and compared
with truth.json or with a direct count over the snapshot; a global filter must change them.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from dashboards import guards, queries

APP = Path(__file__).resolve().parents[2] / "dashboards" / "app.py"
VIEWS = sorted(p.stem for p in (APP.parent / "views").glob("*.py"))
TIMEOUT_S = 90


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Query results are cached per process; start every test from an empty cache."""
    st.cache_data.clear()
    yield
    st.cache_data.clear()


@pytest.fixture
def demo(demo_build, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, dict]:
    """(serving snapshot path, truth.json) of the demo operator, with ITOT_DATA pointing at it."""
    landing, data_dir = demo_build
    monkeypatch.setenv("ITOT_DATA", str(data_dir))
    truth = json.loads((Path(landing) / "truth.json").read_text())
    return Path(data_dir) / "serving.duckdb", truth


def run_page(page: str, **query_params: str | list[str]) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT_S)
    at.query_params.update(query_params)
    if page != "overview":
        at.switch_page(f"views/{page}.py")
    return at.run()


def assert_no_exception(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]


def tile(at: AppTest, label: str):
    tiles = {m.label: m for m in at.metric}
    assert label in tiles, sorted(tiles)
    return tiles[label]


def exact(at: AppTest, label: str) -> float | None:
    """A tile's exact value from its tooltip ("Exact: 12.6271. …"); None for "n/a"."""
    match = re.search(r"Exact: (-?\d+(?:\.\d+)?|n/a)", tile(at, label).help or "")
    assert match, tile(at, label).help
    return None if match.group(1) == "n/a" else float(match.group(1))


def count(serving: Path, sql: str, params: list | None = None):
    with duckdb.connect(str(serving), read_only=True) as con:
        return con.execute(sql, params or []).fetchone()[0]


# --- every page ---------------------------------------------------------------------------


def test_no_pages_folder_beside_app() -> None:
    """A `dashboards/pages/` folder would switch Streamlit to its v1 multipage mode for deep
    links opened before st.navigation has run; pages live in `dashboards/views/`."""
    assert not (APP.parent / "pages").exists()


@pytest.mark.parametrize("page", VIEWS)
def test_missing_snapshot_shows_build_hint(page: str, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("ITOT_DATA", str(tmp_path / "nothing-here"))
    at = run_page(page)
    assert_no_exception(at)
    text = " ".join(i.value for i in at.info)
    assert "make demo" in text and "itot build" in text
    assert not at.metric


@pytest.mark.parametrize("page", ["overview", "orders", "data_health"])
def test_empty_snapshot_shows_build_hint(page: str, tmp_path: Path, monkeypatch) -> None:
    duckdb.connect(str(tmp_path / "serving.duckdb")).close()
    monkeypatch.setenv("ITOT_DATA", str(tmp_path))
    at = run_page(page)
    assert_no_exception(at)
    assert "make demo" in " ".join(i.value for i in at.info)
    assert not at.metric


@pytest.mark.parametrize("page", VIEWS)
def test_demo_page_opens_without_error(demo, page: str) -> None:
    at = run_page(page)
    assert_no_exception(at)
    assert at.sidebar.date_input(key="period").value is not None


def test_bound_parameters_never_match_sql_text(demo) -> None:
    from dashboards.filters import GlobalFilters

    first, last = queries.period_bounds()
    hostile = GlobalFilters(first, last, regions=("x' or '1'='1",))
    assert queries.order_kpis(hostile)["orders_completed"] == 0


def test_hostile_region_in_url_is_ignored(demo) -> None:
    _, truth = demo
    at = run_page("orders", region="North' or 1=1 --")
    assert_no_exception(at)
    assert (
        int(tile(at, "Orders completed").value.replace(",", ""))
        == (truth["kpis"]["orders_completed"])
    )


# --- orders and provisioning ----------------------------------------------------------------


def test_orders_tiles_equal_truth(demo) -> None:
    _, truth = demo
    kpis = truth["kpis"]
    at = run_page("orders")
    assert_no_exception(at)
    assert int(tile(at, "Orders completed").value.replace(",", "")) == kpis["orders_completed"]
    assert exact(at, "Throughput (orders/day)") == pytest.approx(
        kpis["order_throughput_per_day"], abs=1e-4
    )
    assert exact(at, "On-time delivery") == pytest.approx(kpis["on_time_delivery_pct"], abs=1e-4)
    if "order_fallout_pct" in kpis:
        assert exact(at, "Order fallout") == pytest.approx(kpis["order_fallout_pct"], abs=1e-4)
    if "order_cycle_time_median_hours" in kpis:
        assert exact(at, "Median cycle time") == pytest.approx(
            kpis["order_cycle_time_median_hours"], abs=1e-4
        )
    assert len(at.get("plotly_chart")) >= 4  # throughput, on time, cycle time, timeline
    assert at.get("download_button")


def test_orders_region_filter_changes_figures(demo) -> None:
    serving, truth = demo
    at = run_page("orders")
    region = at.sidebar.multiselect(key="region").options[0]
    at.sidebar.multiselect(key="region").set_value([region]).run()
    assert_no_exception(at)
    shown = int(tile(at, "Orders completed").value.replace(",", ""))
    expected = count(
        serving,
        "select count(*) from fct_product_orders o join dim_customer c using (customer_id) "
        "where o.is_completed and c.region = ? and o.completed_date between "
        "(select min(date_day) from dim_date) and (select max(date_day) from dim_date)",
        [region],
    )
    assert 0 < shown == expected < truth["kpis"]["orders_completed"]


def test_orders_period_from_url(demo) -> None:
    serving, _ = demo
    at = run_page("orders", period=["2026-01-10", "2026-01-20"], segment="consumer")
    assert_no_exception(at)
    assert at.sidebar.multiselect(key="segment").value == ["consumer"]
    expected = count(
        serving,
        "select count(*) from fct_product_orders o join dim_customer c using (customer_id) "
        "where o.is_completed and c.segment = 'consumer' "
        "and o.completed_date between date '2026-01-10' and date '2026-01-20'",
    )
    assert int(tile(at, "Orders completed").value.replace(",", "")) == expected
    assert exact(at, "Throughput (orders/day)") == pytest.approx(expected / 11, abs=1e-4)


def test_orders_drill_shows_an_orders_timeline(demo) -> None:
    serving, _ = demo
    order_id = "PO-0000001"
    at = run_page("orders", order=order_id)
    assert_no_exception(at)
    steps = count(
        serving,
        "select count(*) from srv_order_timeline where order_id = ?",
        [order_id],
    )
    timeline = [df for df in at.dataframe if "event_kind" in df.value.columns]
    assert timeline and len(timeline[-1].value) == steps > 0


# --- data health ------------------------------------------------------------------------------


def test_data_health_tiles_equal_the_ledger(demo) -> None:
    serving, _ = demo
    at = run_page("data_health")
    assert_no_exception(at)
    rows_in = count(serving, "select sum(rows_in) from ingest_ledger")
    quarantined = count(serving, "select sum(rows_quarantined) from ingest_ledger")
    tests = count(serving, "select count(*) from dbt_test_results")
    assert int(tile(at, "Rows in").value.replace(",", "")) == rows_in
    assert int(tile(at, "Rows quarantined").value.replace(",", "")) == quarantined
    assert tests > 0
    assert f"{tests:,} passed" in tile(at, "dbt tests").value
    assert any("conserved" in s.value for s in at.success)


# --- a snapshot being swapped ------------------------------------------------------------------


def test_snapshot_being_swapped_retries_once(demo, monkeypatch) -> None:
    monkeypatch.setattr(guards, "RETRY_DELAY_S", 0.0)
    real = queries.table_names
    calls = {"n": 0}

    def locked_once() -> set[str]:
        calls["n"] += 1
        if calls["n"] == 1:
            raise duckdb.IOException('Could not set lock on file "serving.duckdb"')
        return real()

    monkeypatch.setattr(queries, "table_names", locked_once)
    at = run_page("orders")
    assert_no_exception(at)
    assert calls["n"] >= 2
    assert len(at.metric) == 5


def test_snapshot_held_by_a_writer_shows_refreshing_notice(
    tmp_path: Path, demo, monkeypatch
) -> None:
    """A real DuckDB lock held by another process: notice, one retry, no traceback."""
    serving, _ = demo
    copy = tmp_path / "serving.duckdb"
    copy.write_bytes(serving.read_bytes())
    monkeypatch.setenv("ITOT_DATA", str(tmp_path))
    monkeypatch.setattr(guards, "RETRY_DELAY_S", 0.0)
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import duckdb, sys, time\n"
            f"con = duckdb.connect({str(copy)!r})\n"
            "print('locked', flush=True)\n"
            "time.sleep(60)\n",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        at = run_page("orders")
    finally:
        holder.kill()
        holder.wait(timeout=10)
    assert not at.exception
    assert any("Data refreshing" in w.value for w in at.warning)
