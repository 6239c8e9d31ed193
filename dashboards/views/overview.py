"""Executive overview: the headline KPIs as tiles, each with its change against the
pre-automation baseline, a sparkline (the metric's own, per day or month of the period), a
one-line definition and a link to the page explaining it.

A tile whose mart is not in the serving snapshot says so instead of showing a number. The change
against the baseline compares the selected period's days after the workflow's go-live with its
days before (go-live dates: reference table `automation_go_live`).
"""

from __future__ import annotations

import dataclasses
from datetime import timedelta

import polars as pl
import streamlit as st

from dashboards import charts, guards
from dashboards.page_header import start_page
from dashboards.queries import autonomy as autonomy_queries
from dashboards.queries import orders as order_queries
from dashboards.queries import overview as queries
from dashboards.queries import roi as roi_queries
from dashboards.queries.global_filters import GlobalFilters

PAGES = "views/{}.py"


def _baseline(filters: GlobalFilters, go_live) -> tuple[dict, dict] | None:
    """Order KPIs (before, after) go-live inside the selected period, or None if not split."""
    if go_live is None or not (filters.start < go_live <= filters.end):
        return None
    before = dataclasses.replace(filters, end=go_live - timedelta(days=1))
    after = dataclasses.replace(filters, start=go_live)
    return (
        order_queries.order_kpis(before),
        order_queries.order_kpis(after),
    )


def _spark(values) -> list[float] | None:
    """The tile's sparkline points (gaps dropped), or None when there is no trend to draw."""
    points = [float(v) for v in values if v is not None]
    return points if len(points) >= 2 else None


def _tile(
    label, shown, exact, definition, page, *, delta=None, spark=None, lower_is_better=False
) -> None:
    # The sparkline is the metric's own (st.metric chart_data): a tile needs no Plotly, so the
    # landing page does not wait for the Plotly bundle (≈1.4 s of a first render here).
    st.metric(
        label,
        shown,
        delta=delta,
        # Green for an improvement: for fallout a fall is the improvement.
        delta_color="inverse" if lower_is_better else "normal",
        help=f"Exact: {exact}.",
        border=True,
        chart_data=None if spark is None else _spark(spark),
    )
    st.caption(definition)
    st.page_link(PAGES.format(page), label="Explain", icon=":material/arrow_forward:")


def _missing(label: str, what: str, page: str) -> None:
    st.metric(label, "—", help="Not in this serving snapshot yet.", border=True)
    st.caption(f"Waits for {what} in the serving snapshot.")
    st.page_link(PAGES.format(page), label="Explain", icon=":material/arrow_forward:")


def _order_tiles(filters: GlobalFilters) -> None:
    k = order_queries.order_kpis(filters)
    go_live = order_queries.go_live("order_fulfilment")
    split = _baseline(filters, go_live)
    daily = order_queries.order_daily(filters)
    per_day = (
        daily.group_by("date_day")
        .agg(pl.col("orders_completed").sum(), pl.col("orders_on_time").sum())
        .sort("date_day")
        .with_columns(
            on_time_pct=pl.when(pl.col("orders_completed") > 0).then(
                100.0 * pl.col("orders_on_time") / pl.col("orders_completed")
            )
        )
    )

    def delta(key: str, unit: str) -> str | None:
        if split is None or split[0][key] is None or split[1][key] is None:
            return None
        return f"{split[1][key] - split[0][key]:+.2f}{unit} vs pre-automation"

    on_time = k["on_time_delivery_pct"]
    fallout = k["order_fallout_pct"]
    columns = st.columns(3)
    with columns[0]:
        _tile(
            "Order throughput (orders/day)",
            f"{k['order_throughput_per_day']:,.2f}",
            f"{k['order_throughput_per_day']:.4f}",
            "Product orders completed per day of the period (by completion day).",
            "orders",
            delta=delta("order_throughput_per_day", ""),
            spark=per_day["orders_completed"].to_list(),
        )
    with columns[1]:
        _tile(
            "On-time delivery",
            "—" if on_time is None else f"{on_time:.2f} %",
            "n/a" if on_time is None else f"{on_time:.4f}",
            "Completed orders done by their requested date ÷ orders completed.",
            "orders",
            delta=delta("on_time_delivery_pct", " pp"),
            spark=per_day["on_time_pct"].to_list(),
        )
    with columns[2]:
        _tile(
            "Order fallout",
            "—" if fallout is None else f"{fallout:.2f} %",
            "n/a" if fallout is None else f"{fallout:.4f}",
            "Orders held or failed (left the automated flow) ÷ orders created.",
            "orders",
            delta=delta("order_fallout_pct", " pp"),
            lower_is_better=True,
        )
    if split is None:
        st.caption(
            "Change against the pre-automation baseline: needs the go-live dates (reference "
            "table `automation_go_live`) in the snapshot and a period spanning the go-live."
        )


def _autonomy_tiles(filters: GlobalFilters) -> None:
    if not guards.snapshot_has(frozenset({"kpi_autonomy_monthly"})):
        _missing("Autonomy level", "the autonomy mart", "autonomy")
        return
    monthly = autonomy_queries.autonomy_monthly(filters)
    if monthly.is_empty():
        st.info("No process-log tasks in this period.")
        return
    months = sorted(monthly["month_label"].unique().to_list())
    latest = monthly.filter(pl.col("month_label") == months[-1])
    first = monthly.filter(pl.col("month_label") == months[0])
    overall = latest["autonomy_score"].mean()
    overall_first = first["autonomy_score"].mean()
    per_month = (
        monthly.group_by("month_label").agg(pl.col("autonomy_score").mean()).sort("month_label")
    )
    workflows = sorted(latest["workflow"].to_list())
    columns = st.columns(1 + len(workflows))
    with columns[0]:
        _tile(
            f"Autonomy, overall · {months[-1]}",
            f"{overall:.2f}",
            f"{overall:.4f}",
            "Mean of the workflows' decimal autonomy scores (0–5) in the latest month.",
            "autonomy",
            delta=None if len(months) < 2 else f"{overall - overall_first:+.2f} since {months[0]}",
            spark=per_month["autonomy_score"].to_list(),
        )
    for column, workflow in zip(columns[1:], workflows, strict=True):
        rows = monthly.filter(pl.col("workflow") == workflow).sort("month_label")
        last, begin = rows.row(-1, named=True), rows.row(0, named=True)
        with column:
            _tile(
                f"{workflow} · {last['month_label']}",
                f"{charts.level_label(last['autonomy_level'])} · {last['autonomy_score']:.2f}",
                f"level {last['autonomy_level']}, score {last['autonomy_score']:.4f}",
                "3GPP TS 28.100 level (who performs each task category) and decimal score.",
                "autonomy",
                delta=None
                if rows.height < 2
                else f"{last['autonomy_score'] - begin['autonomy_score']:+.2f} since "
                f"{begin['month_label']}",
                spark=rows["autonomy_score"].to_list(),
            )


def _roi_tile(filters: GlobalFilters) -> None:
    if not guards.snapshot_has(frozenset({"kpi_roi_monthly"})):
        _missing("ROI and payback", "the ROI mart", "roi")
        return
    monthly = roi_queries.roi_monthly(filters)
    if monthly.is_empty():
        st.metric("ROI", "—", border=True)
        return
    # Cumulated from the first month of the selection, like the ROI page.
    benefit, cost = monthly["benefit"].sum(), monthly["cost"].sum()
    roi = 100.0 * (benefit - cost) / cost if cost else None
    cum_b = monthly["benefit"].cum_sum().to_list()
    cum_c = monthly["cost"].cum_sum().to_list()
    payback = next(
        (m for m, b, c in zip(monthly["month_label"], cum_b, cum_c, strict=True) if b >= c), None
    )
    _tile(
        "ROI · payback",
        "—" if roi is None else f"{roi:.1f} % · {payback or 'not yet'}",
        "n/a" if roi is None else f"{roi:.4f}, payback {payback}",
        "(benefit − cost) ÷ cost of the automation program; payback = first month the "
        "cumulative benefit reaches the cumulative cost.",
        "roi",
        spark=[100.0 * (b - c) / c if c else None for b, c in zip(cum_b, cum_c, strict=True)],
    )


def _nps_tile(filters: GlobalFilters, first_go_live) -> None:
    if not guards.snapshot_has(frozenset({"kpi_nps_daily"})):
        _missing("NPS", "the survey KPI mart", "service")
        return
    k = queries.nps(filters)
    split = None
    if first_go_live is not None and filters.start < first_go_live <= filters.end:
        before = dataclasses.replace(filters, end=first_go_live - timedelta(days=1))
        after = dataclasses.replace(filters, start=first_go_live)
        b, a = queries.nps(before), queries.nps(after)
        if b["nps"] is not None and a["nps"] is not None:
            split = f"{a['nps'] - b['nps']:+.1f} vs pre-automation"
    daily = queries.nps_daily(filters)
    _tile(
        "NPS",
        "—" if k["nps"] is None else f"{k['nps']:.1f}",
        "n/a" if k["nps"] is None else f"{k['nps']:.4f}",
        f"% promoters (9–10) − % detractors (0–6) over {k['responses'] or 0:,} responses.",
        "service",
        delta=split,
        spark=daily["nps"].to_list(),
    )


def _leakage_tile(filters: GlobalFilters) -> None:
    if not guards.snapshot_has(frozenset({"fct_revenue_leakage"})):
        _missing("Revenue leakage", "the leakage mart", "service")
        return
    k = queries.leakage(filters)
    monthly = queries.leakage_monthly(filters)
    amount = k["amount"] or 0.0
    _tile(
        "Revenue leakage",
        f"{amount:,.0f} EUR",
        f"{amount:.4f} over {k['services']} services",
        f"{k['services']:,} services active in the network but not billed (and billed but "
        "inactive), per billing month of the period.",
        "roi",
        spark=monthly["amount"].to_list(),
    )


def render() -> None:
    filters = start_page(
        "Executive overview",
        order_queries.ORDERS_TABLES,
        "The headline KPIs for the selected period and slice; each links to the page that "
        "explains it. Autonomy, ROI and leakage are operator-wide (only the period applies).",
    )
    st.subheader("Autonomy")
    _autonomy_tiles(filters)
    st.subheader("Orders")
    _order_tiles(filters)
    st.subheader("Return and customers")
    go_lives = [
        order_queries.go_live(w)
        for w in ("order_fulfilment", "fault_management", "billing_dispute")
    ]
    known = [d for d in go_lives if d is not None]
    columns = st.columns(3)
    with columns[0]:
        _roi_tile(filters)
    with columns[1]:
        _nps_tile(filters, min(known) if known else None)
    with columns[2]:
        _leakage_tile(filters)


render()
