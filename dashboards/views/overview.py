"""Executive overview: the headline KPIs as tiles, each with its change against the
pre-automation baseline, a sparkline, a one-line definition and a link to the page explaining it.

A tile whose mart is not in the serving snapshot says so instead of showing a number. The change
against the baseline compares the selected period's days after the workflow's go-live with its
days before (go-live dates: reference table `automation_go_live`).
"""

from __future__ import annotations

import dataclasses
from datetime import timedelta

import polars as pl
import streamlit as st

from dashboards import charts, queries
from dashboards.frame import start_page
from dashboards.guards import with_retry

PAGES = "views/{}.py"


def _baseline(filters, go_live) -> tuple[dict, dict] | None:
    """Order KPIs (before, after) go-live inside the selected period, or None if not split."""
    if go_live is None or not (filters.start < go_live <= filters.end):
        return None
    before = dataclasses.replace(filters, end=go_live - timedelta(days=1))
    after = dataclasses.replace(filters, start=go_live)
    return (
        with_retry(lambda: queries.order_kpis(before)),
        with_retry(lambda: queries.order_kpis(after)),
    )


def _tile(label, shown, exact, definition, page, *, delta=None, spark=None, key=None) -> None:
    st.metric(
        label,
        shown,
        delta=delta,
        help=f"Exact: {exact}.",
        border=True,
    )
    if spark is not None:
        st.plotly_chart(spark, key=key, config={"displayModeBar": False, "staticPlot": True})
    st.caption(definition)
    st.page_link(PAGES.format(page), label="Explain", icon=":material/arrow_forward:")


def _missing(label: str, what: str, page: str) -> None:
    st.metric(label, "—", help="Not in this serving snapshot yet.", border=True)
    st.caption(f"Waits for {what} in the serving snapshot.")
    st.page_link(PAGES.format(page), label="Explain", icon=":material/arrow_forward:")


def _order_tiles(filters) -> None:
    k = with_retry(lambda: queries.order_kpis(filters))
    go_live = with_retry(lambda: queries.go_live("order_fulfilment"))
    split = _baseline(filters, go_live)
    daily = with_retry(lambda: queries.order_daily(filters))
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
    days = per_day["date_day"].to_list()

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
            spark=charts.sparkline(days, per_day["orders_completed"].to_list(), go_live=go_live),
            key="spark_throughput",
        )
    with columns[1]:
        _tile(
            "On-time delivery",
            "—" if on_time is None else f"{on_time:.2f} %",
            "n/a" if on_time is None else f"{on_time:.4f}",
            "Completed orders done by their requested date ÷ orders completed.",
            "orders",
            delta=delta("on_time_delivery_pct", " pp"),
            spark=charts.sparkline(
                days, per_day["on_time_pct"].to_list(), charts.ON_TIME_COLOUR, go_live
            ),
            key="spark_on_time",
        )
    with columns[2]:
        _tile(
            "Order fallout",
            "—" if fallout is None else f"{fallout:.2f} %",
            "n/a" if fallout is None else f"{fallout:.4f}",
            "Orders held or failed (left the automated flow) ÷ orders created.",
            "orders",
            delta=delta("order_fallout_pct", " pp"),
        )
    if split is None:
        st.caption(
            "Change against the pre-automation baseline: needs the go-live dates (reference "
            "table `automation_go_live`) in the snapshot and a period spanning the go-live."
        )


def render() -> None:
    filters = start_page(
        "Executive overview",
        queries.ORDERS_TABLES,
        "The headline KPIs for the selected period and slice; each links to the page that "
        "explains it.",
    )
    st.subheader("Orders")
    _order_tiles(filters)
    st.subheader("Autonomy, return and customers")
    columns = st.columns(4)
    pending = [
        ("Autonomy level", "the autonomy mart (level and score per workflow)", "autonomy"),
        ("ROI and payback", "the ROI mart (benefit by lever, cost)", "roi"),
        ("NPS", "the survey KPI mart (NPS by month)", "service"),
        ("Revenue leakage", "the leakage mart (unbilled services)", "service"),
    ]
    for column, (label, what, page) in zip(columns, pending, strict=True):
        with column:
            _missing(label, what, page)


render()
