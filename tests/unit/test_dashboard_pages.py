"""AppTest checks of every dashboard page against the demo operator's `truth.json`.

The pages read the serving snapshot built by the session fixture `demo_build` (tests/conftest.py).
Figures are read from what the page shows (a tile's exact value is in its tooltip) and compared
with truth.json or with a direct count over the snapshot; a global filter must change them.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from streamlit.proto.Metric_pb2 import Metric as MetricProto
from streamlit.testing.v1 import AppTest

from dashboards import tables
from dashboards.queries import orders, runner, snapshot

pytestmark = pytest.mark.usefixtures("fresh_streamlit_cache")

APP = Path(__file__).resolve().parents[2] / "dashboards" / "app.py"
VIEWS = sorted(p.stem for p in (APP.parent / "views").glob("*.py"))
TIMEOUT_S = 90


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
def test_demo_page_opens_without_error(demo_snapshot, page: str) -> None:
    at = run_page(page)
    assert_no_exception(at)
    assert at.sidebar.date_input(key="period").value is not None


def test_bound_parameters_never_match_sql_text(demo_snapshot) -> None:
    from dashboards.queries.global_filters import GlobalFilters

    first, last = snapshot.period_bounds()
    hostile = GlobalFilters(first, last, regions=("x' or '1'='1",))
    assert orders.order_kpis(hostile)["orders_completed"] == 0


def test_hostile_region_in_url_is_ignored(demo_snapshot) -> None:
    _, truth = demo_snapshot
    at = run_page("orders", region="North' or 1=1 --")
    assert_no_exception(at)
    assert (
        int(tile(at, "Orders completed").value.replace(",", ""))
        == (truth["kpis"]["orders_completed"])
    )


# --- orders and provisioning ----------------------------------------------------------------


def test_orders_tiles_equal_truth(demo_snapshot) -> None:
    _, truth = demo_snapshot
    kpis = truth["kpis"]
    at = run_page("orders")
    assert_no_exception(at)
    assert int(tile(at, "Orders completed").value.replace(",", "")) == kpis["orders_completed"]
    assert exact(at, "Orders per day") == pytest.approx(kpis["order_throughput_per_day"], abs=1e-4)
    assert exact(at, "On-time delivery") == pytest.approx(kpis["on_time_delivery_pct"], abs=1e-4)
    if "order_fallout_pct" in kpis:
        assert exact(at, "Order fallout") == pytest.approx(kpis["order_fallout_pct"], abs=1e-4)
    if "order_cycle_time_median_hours" in kpis:
        assert exact(at, "Median cycle time") == pytest.approx(
            kpis["order_cycle_time_median_hours"], abs=1e-4
        )
    assert len(at.get("plotly_chart")) >= 4  # throughput, on time, cycle time, timeline
    assert at.get("download_button")


def test_orders_region_filter_changes_figures(demo_snapshot) -> None:
    serving, truth = demo_snapshot
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


def test_orders_period_from_url(demo_snapshot) -> None:
    serving, _ = demo_snapshot
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
    assert exact(at, "Orders per day") == pytest.approx(expected / 11, abs=1e-4)


def test_orders_drill_shows_an_orders_timeline(demo_snapshot) -> None:
    serving, _ = demo_snapshot
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


def test_data_health_tiles_equal_the_ledger(demo_snapshot) -> None:
    serving, _ = demo_snapshot
    at = run_page("data_health")
    assert_no_exception(at)
    rows_in = count(serving, "select sum(rows_in) from ingest_ledger")
    quarantined = count(serving, "select sum(rows_quarantined) from ingest_ledger")
    tests = count(serving, "select count(*) from dbt_test_results")
    assert int(tile(at, "Rows in").value.replace(",", "")) == rows_in
    assert int(tile(at, "Rows quarantined").value.replace(",", "")) == quarantined
    assert tests > 0
    assert tile(at, "dbt tests passed").value == f"{tests:,}"
    assert tile(at, "dbt tests failed").value == "0"
    assert any("conserved" in s.value for s in at.success)
    # the list of source files: one row per file, each with its per-dataset breakdown
    [files] = [df.value for df in at.dataframe if "datasets" in df.value.columns]
    assert len(files) == count(serving, "select count(distinct file_key) from ingest_ledger")
    assert files["file_path"].is_unique
    assert files["rows_in"].sum() == rows_in


# --- a snapshot being swapped ------------------------------------------------------------------


def test_snapshot_being_swapped_retries_once(demo_snapshot, monkeypatch) -> None:
    """The runner retries a query the snapshot swap locked out, once, and the page shows."""
    monkeypatch.setattr(runner, "RETRY_DELAY_S", 0.0)
    real = runner.run_query
    calls = {"n": 0}

    def locked_once(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 1:
            raise duckdb.IOException('Could not set lock on file "serving.duckdb"')
        return real(*args, **kwargs)

    monkeypatch.setattr(runner, "run_query", locked_once)
    at = run_page("orders")
    assert_no_exception(at)
    assert calls["n"] >= 2
    assert len(at.metric) == 5


def test_snapshot_held_by_a_writer_shows_refreshing_notice(
    tmp_path: Path, demo_snapshot, monkeypatch
) -> None:
    """A real DuckDB lock held by another process: notice, one retry, no traceback."""
    serving, _ = demo_snapshot
    copy = tmp_path / "serving.duckdb"
    copy.write_bytes(serving.read_bytes())
    monkeypatch.setenv("ITOT_DATA", str(tmp_path))
    monkeypatch.setattr(runner, "RETRY_DELAY_S", 0.0)
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


def _recording_connect(monkeypatch) -> list:
    """Record every connection the dashboards open (duckdb.connect still does the work)."""
    opened: list = []
    real = duckdb.connect

    def connect(*args, **kwargs):
        con = real(*args, **kwargs)
        opened.append(con)
        return con

    monkeypatch.setattr(duckdb, "connect", connect)
    return opened


def _is_closed(con) -> bool:
    try:
        con.execute("select 1")
    except duckdb.ConnectionException:
        return True
    return False


@pytest.mark.parametrize("page", ["overview", "service"])
def test_a_page_run_shares_one_connection_and_closes_it(
    demo_snapshot, page: str, tmp_path: Path, monkeypatch
) -> None:
    """Every query of one script run goes over one read-only connection, closed when the run
    ends: afterwards this process can open the snapshot for writing (DuckDB refuses that while
    a read-only connection to the file is open in the same process)."""
    serving, _ = demo_snapshot
    copy = tmp_path / "serving.duckdb"
    copy.write_bytes(serving.read_bytes())
    monkeypatch.setenv("ITOT_DATA", str(tmp_path))
    opened = _recording_connect(monkeypatch)
    at = run_page(page)
    assert_no_exception(at)
    assert len(opened) == 1
    assert _is_closed(opened[0])
    duckdb.connect(str(copy)).close()


def test_outside_a_page_run_each_query_opens_and_closes_its_own(demo_snapshot, monkeypatch) -> None:
    opened = _recording_connect(monkeypatch)
    snapshot.period_bounds()
    snapshot.filter_options()
    assert len(opened) == 2 and all(_is_closed(con) for con in opened)


def test_a_snapshot_swapped_mid_run_is_read_from_the_new_file(
    demo_snapshot, tmp_path: Path, monkeypatch
) -> None:
    """Within a run, a new snapshot version (mtime) closes the old connection and opens the new
    file; the run's end closes that one too."""
    serving, _ = demo_snapshot
    opened = _recording_connect(monkeypatch)
    with runner.one_connection_per_run():
        first = runner.run_query(str(serving), 1, "select count(*) as n from dim_date")
        again = runner.run_query(str(serving), 1, "select count(*) as n from dim_cell")
        assert len(opened) == 1 and not _is_closed(opened[0])
        swapped = runner.run_query(str(serving), 2, "select count(*) as n from dim_date")
        assert len(opened) == 2 and _is_closed(opened[0]) and not _is_closed(opened[1])
    assert _is_closed(opened[1])
    assert first["n"][0] == swapped["n"][0] and again["n"][0] > 0


# --- executive overview ---------------------------------------------------------------------


def _number(text: str) -> float:
    return float(re.sub(r"[^0-9.\-]", "", text))


def test_overview_tiles_equal_truth(demo_snapshot) -> None:
    _, truth = demo_snapshot
    kpis = truth["kpis"]
    at = run_page("overview")
    assert_no_exception(at)
    assert exact(at, "Order throughput (orders/day)") == pytest.approx(
        kpis["order_throughput_per_day"], abs=1e-4
    )
    assert exact(at, "On-time delivery") == pytest.approx(kpis["on_time_delivery_pct"], abs=1e-4)
    assert exact(at, "Order fallout") == pytest.approx(kpis["order_fallout_pct"], abs=1e-4)
    assert exact(at, "NPS") == pytest.approx(kpis["nps"], abs=1e-4)
    leak = tile(at, "Revenue leakage").help
    assert f"Exact: {kpis['revenue_leakage_amount']:.4f} over " in leak
    assert f"over {kpis['revenue_leakage_services']} services" in leak
    roi = tile(at, "ROI · payback").help
    assert _number(roi.split(",")[0]) == pytest.approx(kpis["roi"]["roi_pct"], abs=1e-4)
    assert f"payback {kpis['roi']['payback_month']}" in roi
    for workflow, months in kpis["autonomy"].items():
        month = max(months)
        label = f"{workflow} · {month}"
        assert f"level {months[month]['level']}, score {months[month]['score']:.4f}" in (
            tile(at, label).help
        )
    # The pre-automation baseline is known in the demo: every order tile shows its change.
    assert "vs pre-automation" in (tile(at, "On-time delivery").delta or "")
    # Automation cut fallout: a fall is an improvement, shown green like a rise in on-time.
    fallout = tile(at, "Order fallout")
    assert fallout.delta.startswith("-") and tile(at, "On-time delivery").delta.startswith("+")
    green = MetricProto.MetricColor.GREEN
    assert fallout.proto.color == tile(at, "On-time delivery").proto.color == green


def test_overview_period_filter_changes_figures(demo_snapshot) -> None:
    _, truth = demo_snapshot
    at = run_page("overview", period=["2026-01-01", "2026-01-31"])
    assert_no_exception(at)
    for workflow, months in truth["kpis"]["autonomy"].items():
        jan = months["2026-01"]
        assert f"level {jan['level']}, score {jan['score']:.4f}" in (
            tile(at, f"{workflow} · 2026-01").help
        )
    assert exact(at, "NPS") != pytest.approx(truth["kpis"]["nps"], abs=1e-4)


# --- autonomy -------------------------------------------------------------------------------


def test_autonomy_tiles_and_roles_equal_truth(demo_snapshot) -> None:
    _, truth = demo_snapshot
    at = run_page("autonomy")
    assert_no_exception(at)
    for workflow, months in truth["kpis"]["autonomy"].items():
        month = max(months)
        shown = tile(at, f"{workflow} · {month}")
        assert f"level {months[month]['level']}, score {months[month]['score']:.4f}" in shown.help
    # The selected workflow's table carries the five roles per month, as truth says.
    workflow = at.selectbox(key="workflow").value
    table = next(df.value for df in at.dataframe if "role_execution" in df.value.columns)
    for row in table.to_dict("records"):
        roles = truth["kpis"]["autonomy"][workflow][row["month_label"]]["roles"]
        assert row["role_execution"] == roles["execution"]
        assert row["role_intent"] == roles["intent"]
    assert len(at.get("plotly_chart")) == 2  # levels over time, role heat map
    human = next(df.value for df in at.dataframe if "human_tasks" in df.value.columns)
    assert len(human) > 0 and list(human["human_tasks"]) == sorted(human["human_tasks"])[::-1]


def test_autonomy_workflow_and_period_change_view(demo_snapshot) -> None:
    _, truth = demo_snapshot
    at = run_page("autonomy", period=["2026-01-01", "2026-01-31"], workflow="billing_dispute")
    assert_no_exception(at)
    months = truth["kpis"]["autonomy"]["billing_dispute"]
    shown = tile(at, "billing_dispute · 2026-01")
    assert f"score {months['2026-01']['score']:.4f}" in shown.help
    table = next(df.value for df in at.dataframe if "role_execution" in df.value.columns)
    assert set(table["workflow"]) == {"billing_dispute"}
    assert list(table["month_label"]) == ["2026-01"]


# --- ROI --------------------------------------------------------------------------------------


def test_roi_tiles_equal_truth(demo_snapshot) -> None:
    _, truth = demo_snapshot
    roi = truth["kpis"]["roi"]
    at = run_page("roi")
    assert_no_exception(at)
    assert exact(at, "Benefit") == pytest.approx(roi["benefit"], abs=1e-2)
    assert exact(at, "Cost") == pytest.approx(roi["cost"], abs=1e-4)
    assert exact(at, "ROI") == pytest.approx(roi["roi_pct"], abs=1e-3)
    assert tile(at, "Payback month").value == (roi["payback_month"] or "not yet")
    # The what-if panel starts from the same assumptions, so it shows the same figures.
    assert exact(at, "What-if ROI") == pytest.approx(roi["roi_pct"], abs=1e-3)
    assert any("assumption" in df.value.columns for df in at.dataframe)


def test_roi_what_if_recomputes(demo_snapshot) -> None:
    serving, truth = demo_snapshot
    at = run_page("roi")
    fallout_avoided = count(
        serving, "select sum(avoided_outcome) from kpi_roi_lever_daily where lever = 'fallout'"
    )
    rate = at.number_input(key="what_if_cost_per_fallout")
    at.number_input(key="what_if_cost_per_fallout").set_value(rate.value + 100.0).run()
    assert_no_exception(at)
    benefit = truth["kpis"]["roi"]["benefit"] + 100.0 * fallout_avoided
    assert exact(at, "What-if Benefit") == pytest.approx(benefit, abs=1e-2)
    assert exact(at, "Benefit") == pytest.approx(truth["kpis"]["roi"]["benefit"], abs=1e-2)
    at.number_input(key="what_if_program_cost_one_off").set_value(10_000_000.0).run()
    assert tile(at, "What-if Payback month").value == "not yet"
    assert exact(at, "What-if ROI") < 0


# --- service quality and experience --------------------------------------------------------


def test_service_tiles_equal_truth(demo_snapshot) -> None:
    serving, truth = demo_snapshot
    at = run_page("service")
    assert_no_exception(at)
    assert exact(at, "Incidents detected") == truth["kpis"]["incidents_detected"]
    assert len(at.get("plotly_chart")) == 3  # map, bands, trend: the cell drill waits for a cell
    assert at.selectbox(key="cell").value is None
    drilled = run_page("service", cell=at.selectbox(key="cell").options[0])
    assert_no_exception(drilled)
    assert len(drilled.get("plotly_chart")) == 4  # and the chosen cell's KPI time series
    risk = count(serving, "select revenue_at_risk from kpi_revenue_at_risk")
    assert exact(at, "Revenue at risk") == pytest.approx(risk, abs=1e-4) and risk > 0


def test_service_region_filter_changes_figures(demo_snapshot) -> None:
    serving, truth = demo_snapshot
    at = run_page("service")
    region = at.sidebar.multiselect(key="region").options[0]
    at.sidebar.multiselect(key="region").set_value([region]).run()
    assert_no_exception(at)
    expected = count(
        serving,
        "select count(*) from fct_incidents where is_in_period and region = ?",
        [region],
    )
    assert 0 < exact(at, "Incidents detected") == expected < truth["kpis"]["incidents_detected"]


def _band_rows(at: AppTest) -> dict[str, tuple]:
    grid = next(d.value for d in at.dataframe if "quality_band" in d.value.columns)
    columns = ["customers", "complaint_rate_pct", "nps", "churn_rate_pct"]
    return {row.quality_band: tuple(getattr(row, c) for c in columns) for row in grid.itertuples()}


def test_service_bands_equal_the_kpi_mart_and_follow_the_segment_filter(demo_snapshot) -> None:
    serving, _ = demo_snapshot
    with duckdb.connect(str(serving), read_only=True) as con:
        kpi = {
            band: rest
            for band, *rest in con.execute(
                "select quality_band, customers, complaint_rate_pct, nps, churn_rate_pct "
                "from kpi_experience_by_quality_band"
            ).fetchall()
        }
        segment = con.execute("select min(segment) from dim_customer").fetchone()[0]
        in_segment = con.execute(
            "select p.quality_band, count(*) from fct_customer_period_experience p "
            "join dim_customer c using (customer_id) where c.segment = ? group by all",
            [segment],
        ).fetchall()
    at = run_page("service")
    assert_no_exception(at)
    unfiltered = _band_rows(at)
    assert unfiltered.keys() == kpi.keys()
    for band, values in unfiltered.items():
        assert values == pytest.approx(tuple(kpi[band]), abs=1e-4, nan_ok=True), band

    at.sidebar.multiselect(key="segment").set_value([segment]).run()
    assert_no_exception(at)
    filtered = _band_rows(at)
    assert {band: values[0] for band, values in filtered.items()} == dict(in_segment)
    assert filtered != unfiltered


def test_service_lists_the_most_impaired_cells_and_drills_to_any_typed_one(
    demo_snapshot, monkeypatch: pytest.MonkeyPatch
) -> None:
    serving, _ = demo_snapshot
    ranked = run_page("service").selectbox(key="cell").options  # every cell, most impaired first
    assert len(ranked) == count(serving, "select count(*) from dim_cell") > 5
    monkeypatch.setattr(tables, "LISTED_ROWS", 5)
    at = run_page("service")
    assert_no_exception(at)
    assert at.selectbox(key="cell").options == ranked[:5]
    grid = next(d.value for d in at.dataframe if "impaired_pct" in d.value.columns)
    assert grid["cell_id"].tolist() == ranked[:5]
    assert f"The first 5 of {len(ranked)} rows; the CSV holds all." in [c.value for c in at.caption]

    unlisted = ranked[-1]  # the least impaired: not in the list, reachable by its id
    at = run_page("service", cell=unlisted)
    assert_no_exception(at)
    assert any(c.value.startswith(f"{unlisted}: ") for c in at.caption)
    assert not at.warning

    at = run_page("service", cell="CELL-NOT-THERE")
    assert_no_exception(at)
    assert [w.value for w in at.warning] == ["No cell 'CELL-NOT-THERE' matches the filters."]
