"""AppTest smoke tests of the dashboards' overview page.

Most tests run against a small hand-made serving snapshot written here (three channels over ten
days), so they do not need the whole pipeline; one compares the page with the demo operator's
`truth.json`, using the `demo_build` fixture from tests/conftest.py when it is available.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import duckdb
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from dashboards import guards, queries

APP = Path(__file__).resolve().parents[2] / "dashboards" / "app.py"
TIMEOUT_S = 60

FIRST_DAY = date(2024, 3, 1)
DAYS = 10
CHANNELS = ("partner", "retail", "web")


def _daily_rows() -> list[tuple[date, str, int, int, int]]:
    """(date_day, channel, created, completed, on_time): varied, deterministic, all days."""
    rows = []
    for i in range(DAYS):
        for j, channel in enumerate(CHANNELS):
            completed = 3 + (i * (j + 2)) % 7
            rows.append(
                (
                    FIRST_DAY + timedelta(i),
                    channel,
                    completed + 1,
                    completed,
                    completed - (i + j) % 3,
                )
            )
    return rows


def write_serving_snapshot(data_dir: Path) -> Path:
    """Write a small serving.duckdb with the tables the overview reads; return its path."""
    data_dir.mkdir(parents=True, exist_ok=True)
    path = data_dir / "serving.duckdb"
    with duckdb.connect(str(path)) as con:
        con.execute(
            "create table fct_orders_daily (date_day date, channel varchar, "
            "orders_created bigint, orders_completed bigint, orders_on_time bigint, "
            "on_time_pct double)"
        )
        con.executemany(
            "insert into fct_orders_daily values (?, ?, ?, ?, ?, "
            "round(100.0 * ? / nullif(?, 0), 4))",
            [(*r, r[4], r[3]) for r in _daily_rows()],
        )
        con.execute(
            "create table kpi_headline as select "
            "sum(orders_completed)::bigint as orders_completed, "
            f"round(sum(orders_completed) / {DAYS}, 4) as order_throughput_per_day, "
            "round(100.0 * sum(orders_on_time) / sum(orders_completed), 4) "
            "as on_time_delivery_pct from fct_orders_daily"
        )
        con.execute(
            "create table fct_product_orders as select 'PO-0000001' as order_id, "
            "'web' as channel, 'completed' as state"
        )
        con.execute(
            "create table ingest_ledger as select 'abc' as file_key, 'loaded' as status, "
            "1::bigint as rows_in, 1::bigint as rows_loaded, 0::bigint as rows_quarantined"
        )
    return path


def expected(start: date, end: date, channels: tuple[str, ...] = ()) -> dict[str, float]:
    """The three KPIs for a filter, computed in Python from the hand-made rows."""
    rows = [r for r in _daily_rows() if start <= r[0] <= end and (not channels or r[1] in channels)]
    completed = sum(r[3] for r in rows)
    on_time = sum(r[4] for r in rows)
    return {
        "orders_completed": completed,
        "order_throughput_per_day": round(completed / ((end - start).days + 1), 4),
        "on_time_delivery_pct": round(100 * on_time / completed, 4),
    }


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Query results are cached per process; start every test from an empty cache."""
    st.cache_data.clear()
    yield
    st.cache_data.clear()


@pytest.fixture
def small_snapshot(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A hand-made serving snapshot in a tmp data dir, with ITOT_DATA pointing at it."""
    data_dir = tmp_path / "data"
    write_serving_snapshot(data_dir)
    monkeypatch.setenv("ITOT_DATA", str(data_dir))
    return data_dir


def run_app(**query_params: str | list[str]) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT_S)
    at.query_params.update(query_params)
    return at.run()


def shown_kpis(at: AppTest) -> dict[str, float]:
    """The tiles' exact values (from each tile's tooltip), keyed like kpi_headline."""
    tiles = {m.label: m for m in at.metric}
    assert set(tiles) == {"Orders completed", "Throughput (orders/day)", "On-time delivery"}

    def exact(label: str) -> float:
        match = re.search(r"Exact: (\d+(?:\.\d+)?)", tiles[label].help)
        assert match, tiles[label].help
        return float(match.group(1))

    return {
        "orders_completed": int(tiles["Orders completed"].value.replace(",", "")),
        "order_throughput_per_day": exact("Throughput (orders/day)"),
        "on_time_delivery_pct": exact("On-time delivery"),
    }


def assert_no_exception(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]


def assert_kpis(at: AppTest, truth: dict[str, float]) -> None:
    shown = shown_kpis(at)
    assert shown["orders_completed"] == truth["orders_completed"]
    assert shown["order_throughput_per_day"] == pytest.approx(
        truth["order_throughput_per_day"], abs=1e-4
    )
    assert shown["on_time_delivery_pct"] == pytest.approx(truth["on_time_delivery_pct"], abs=1e-4)


# --- against the hand-made snapshot ----------------------------------------------------------


def test_unfiltered_tiles_equal_kpi_headline(small_snapshot: Path) -> None:
    at = run_app()
    assert_no_exception(at)
    headline = queries.headline()
    assert_kpis(at, headline)
    assert_kpis(at, expected(FIRST_DAY, FIRST_DAY + timedelta(DAYS - 1)))
    assert len(at.get("plotly_chart")) == 1
    assert at.get("download_button"), "the channel table can be downloaded as CSV"


def test_channel_filter_changes_figures(small_snapshot: Path) -> None:
    at = run_app()
    before = shown_kpis(at)
    at.multiselect(key="channel").set_value(["web"]).run()
    assert_no_exception(at)
    after = shown_kpis(at)
    assert after != before
    assert_kpis(at, expected(FIRST_DAY, FIRST_DAY + timedelta(DAYS - 1), ("web",)))


def test_period_from_query_params(small_snapshot: Path) -> None:
    start, end = FIRST_DAY + timedelta(2), FIRST_DAY + timedelta(4)
    at = run_app(period=[start.isoformat(), end.isoformat()], channel=["retail", "partner"])
    assert_no_exception(at)
    assert at.date_input(key="period").value == (start, end)
    assert_kpis(at, expected(start, end, ("retail", "partner")))


def test_period_widget_changes_figures(small_snapshot: Path) -> None:
    at = run_app()
    before = shown_kpis(at)
    start, end = FIRST_DAY, FIRST_DAY + timedelta(1)
    at.date_input(key="period").set_value((start, end)).run()
    assert_no_exception(at)
    assert shown_kpis(at) != before
    assert_kpis(at, expected(start, end))


def test_hostile_channel_in_url_is_ignored(small_snapshot: Path) -> None:
    at = run_app(channel="web' or 1=1 --")
    assert_no_exception(at)
    assert_kpis(at, expected(FIRST_DAY, FIRST_DAY + timedelta(DAYS - 1)))


def test_bound_parameters_never_match_sql_text(small_snapshot: Path) -> None:
    filters = queries.Filters(FIRST_DAY, FIRST_DAY + timedelta(DAYS - 1), ("x' or '1'='1",))
    assert queries.kpis(filters)["orders_completed"] == 0
    assert queries.channel_summary(filters).is_empty()


def test_no_pages_folder_beside_app() -> None:
    """A `dashboards/pages/` folder would switch Streamlit to its v1 multipage mode for deep
    links opened before st.navigation has run; pages live in `dashboards/views/`."""
    assert not (APP.parent / "pages").exists()


# --- when there is no usable snapshot --------------------------------------------------------


def _assert_build_hint(at: AppTest) -> None:
    assert_no_exception(at)
    text = " ".join(i.value for i in at.info)
    assert "make demo" in text and "itot build" in text
    assert not at.metric


def test_missing_snapshot_shows_build_hint(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("ITOT_DATA", str(tmp_path / "nothing-here"))
    _assert_build_hint(run_app())


def test_snapshot_without_tables_shows_build_hint(tmp_path: Path, monkeypatch) -> None:
    duckdb.connect(str(tmp_path / "serving.duckdb")).close()
    monkeypatch.setenv("ITOT_DATA", str(tmp_path))
    _assert_build_hint(run_app())


def test_snapshot_being_swapped_retries_once(small_snapshot: Path, monkeypatch) -> None:
    monkeypatch.setattr(guards, "RETRY_DELAY_S", 0.0)
    real = queries.table_names
    calls = {"n": 0}

    def locked_once() -> set[str]:
        calls["n"] += 1
        if calls["n"] == 1:
            raise duckdb.IOException('Could not set lock on file "serving.duckdb"')
        return real()

    monkeypatch.setattr(queries, "table_names", locked_once)
    at = run_app()
    assert_no_exception(at)
    assert calls["n"] == 2
    assert len(at.metric) == 3


def test_snapshot_locked_shows_refreshing_notice(small_snapshot: Path, monkeypatch) -> None:
    monkeypatch.setattr(guards, "RETRY_DELAY_S", 0.0)

    def locked() -> set[str]:
        raise duckdb.IOException('Could not set lock on file "serving.duckdb"')

    monkeypatch.setattr(queries, "table_names", locked)
    at = run_app()
    assert not at.exception
    assert any("Data refreshing" in w.value for w in at.warning)
    assert not at.metric


def test_snapshot_held_by_a_writer_shows_refreshing_notice(
    small_snapshot: Path, monkeypatch
) -> None:
    """A real DuckDB lock held by another process: notice, one retry, no traceback."""
    monkeypatch.setattr(guards, "RETRY_DELAY_S", 0.0)
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import duckdb, sys, time\n"
            f"con = duckdb.connect({str(small_snapshot / 'serving.duckdb')!r})\n"
            "print('locked', flush=True)\n"
            "time.sleep(60)\n",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        at = run_app()
    finally:
        holder.kill()
        holder.wait(timeout=10)
    assert not at.exception
    assert any("Data refreshing" in w.value for w in at.warning)


# --- against the demo operator ---------------------------------------------------------------


@pytest.fixture
def demo_data(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch):
    """(data_dir, truth) of the built demo operator; skipped until `demo_build` exists."""
    try:
        landing, data_dir = request.getfixturevalue("demo_build")
    except pytest.FixtureLookupError:
        pytest.skip("the demo_build fixture (tests/conftest.py) is not available yet")
    truth_file = Path(landing) / "truth.json"
    if not truth_file.is_file():
        truth_file = Path(__file__).resolve().parents[2] / "seeds" / "truth.json"
    monkeypatch.setenv("ITOT_DATA", str(data_dir))
    return Path(data_dir), json.loads(truth_file.read_text())


def test_demo_tiles_equal_truth(demo_data) -> None:
    _, truth = demo_data
    at = run_app()
    assert_no_exception(at)
    assert_kpis(at, truth["kpis"])


def test_demo_channel_filter_matches_product_orders(demo_data) -> None:
    """A filtered tile equals a direct count over fct_product_orders (one row per order)."""
    data_dir, _ = demo_data
    at = run_app()
    channel = at.multiselect(key="channel").options[0]
    at.multiselect(key="channel").set_value([channel]).run()
    assert_no_exception(at)
    with duckdb.connect(str(data_dir / "serving.duckdb"), read_only=True) as con:
        (completed,) = con.execute(
            "select count(*) from fct_product_orders o, "
            "(select min(date_day) as lo, max(date_day) as hi from fct_orders_daily) p "
            "where o.is_completed and o.completed_date between p.lo and p.hi and o.channel = ?",
            [channel],
        ).fetchone()
    assert 0 < shown_kpis(at)["orders_completed"] == completed
