"""Overview: orders completed, throughput and on-time delivery, their trend, and a table by channel.

The period and channel filters are bound to the URL (`?period=YYYY-MM-DD&period=YYYY-MM-DD&
channel=…`), so a filtered view can be shared by copying the address. With no filter the tiles
equal `kpi_headline`; with filters they are recomputed from `fct_orders_daily` with the same
definitions.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import streamlit as st

from dashboards import charts, data_source, queries
from dashboards.guards import require_snapshot, with_retry

PERIOD_KEY = "period"
CHANNEL_KEY = "channel"


def _filters() -> queries.Filters:
    """Render the period and channel filters (URL-bound) and return the chosen values."""
    bounds = with_retry(queries.period_bounds)
    if bounds is None:
        st.info("The serving snapshot holds no orders yet, so there is nothing to show.")
        st.stop()
    first, last = bounds
    options = with_retry(queries.channels)

    left, right = st.columns([2, 3])
    chosen = left.date_input(
        "Period (UTC days)",
        value=(first, last),
        min_value=first,
        max_value=last,
        key=PERIOD_KEY,
        bind="query-params",
        format="YYYY-MM-DD",
    )
    selected = right.multiselect(
        "Channels",
        options,
        key=CHANNEL_KEY,
        bind="query-params",
        placeholder="All channels",
        # An empty selection already means all channels; a "Select all" row would only make
        # the URL longer for the same view.
        select_all=False,
    )
    start, end = _date_range(chosen, first, last)
    return queries.Filters(start=start, end=end, channels=tuple(selected))


def _date_range(chosen: Any, first: date, last: date) -> tuple[date, date]:
    """The (start, end) of a range widget's value; while only a start is picked, that one day."""
    values = [d for d in (chosen if isinstance(chosen, list | tuple) else [chosen]) if d]
    if not values:
        return first, last
    start = max(values[0], first)
    end = min(values[-1], last)
    return start, max(start, end)


def _tiles(filters: queries.Filters) -> None:
    """Three metric tiles with a one-line definition each; the exact value is in the tooltip."""
    k = with_retry(lambda: queries.kpis(filters))
    scope = f"{filters.start:%Y-%m-%d} to {filters.end:%Y-%m-%d} ({filters.days} days)"
    on_time = k["on_time_delivery_pct"]
    tiles = [
        (
            "Orders completed",
            f"{k['orders_completed']:,}",
            f"{k['orders_completed']}",
            "Product orders that reached *completed*, counted on their completion day.",
        ),
        (
            "Throughput (orders/day)",
            f"{k['order_throughput_per_day']:,.2f}",
            f"{k['order_throughput_per_day']:.4f}",
            "Orders completed ÷ days in the period (days without orders count).",
        ),
        (
            "On-time delivery",
            "—" if on_time is None else f"{on_time:.2f} %",
            "n/a (no completed orders)" if on_time is None else f"{on_time:.4f}",
            "Completed orders done by their requested date ÷ orders completed.",
        ),
    ]
    for column, (label, shown, exact, definition) in zip(st.columns(3), tiles, strict=True):
        with column:
            st.metric(label, shown, help=f"Exact: {exact}. Period: {scope}.", border=True)
            st.caption(definition)


def _trend(filters: queries.Filters) -> None:
    """Daily completed orders by channel with the on-time % line."""
    by_channel = with_retry(lambda: queries.daily_by_channel(filters))
    on_time = with_retry(lambda: queries.daily_on_time(filters))
    st.subheader("Daily completed orders and on-time delivery")
    if by_channel.is_empty():
        st.info("No orders were completed in this period and these channels.")
        return
    st.plotly_chart(charts.orders_trend(by_channel, on_time), key="orders_trend")


def _table(filters: queries.Filters) -> None:
    """Orders by channel for the filters, downloadable as CSV."""
    summary = with_retry(lambda: queries.channel_summary(filters))
    st.subheader("Orders by channel")
    st.dataframe(
        summary,
        hide_index=True,
        column_config={
            "channel": st.column_config.TextColumn("Channel"),
            "orders_created": st.column_config.NumberColumn("Created", format="localized"),
            "orders_completed": st.column_config.NumberColumn("Completed", format="localized"),
            "orders_on_time": st.column_config.NumberColumn("On time", format="localized"),
            "on_time_pct": st.column_config.NumberColumn("On-time %", format="%.2f"),
            "completed_per_day": st.column_config.NumberColumn("Completed/day", format="%.2f"),
        },
    )
    st.download_button(
        "Download CSV",
        data=summary.write_csv(),
        file_name=f"orders_by_channel_{filters.start}_{filters.end}.csv",
        mime="text/csv",
        on_click="ignore",
        icon=":material/download:",
    )


def render() -> None:
    """The whole page."""
    st.title("Overview")
    require_snapshot()
    published = data_source.snapshot_time(data_source.serving_path())
    if published is not None:
        st.caption(f"Serving snapshot published {published:%Y-%m-%d %H:%M} UTC.")
    filters = _filters()
    _tiles(filters)
    _trend(filters)
    _table(filters)


render()
