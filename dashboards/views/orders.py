"""Orders and provisioning: are orders on time and faster since automation?

Throughput and on-time trends, the cycle-time distribution before and after the order
fulfilment go-live, the open backlog by age and jeopardy, and a drill to one order's timeline
(its process-log steps, who did each, and its state changes). Honours the global filters
through the customer's region and segment and the technology of the customer's home cell; the
channel filter below is this page's own (also kept in the URL).
"""

from __future__ import annotations

import polars as pl
import streamlit as st

from dashboards import charts
from dashboards.page_header import start_page
from dashboards.queries import orders as queries
from dashboards.queries.global_filters import GlobalFilters
from dashboards.tables import show_table

CHANNEL_KEY = "channel"
ORDER_KEY = "order"


def _tiles(filters: GlobalFilters, k: dict) -> None:
    on_time = k["on_time_delivery_pct"]
    cycle = k["order_cycle_time_median_hours"]
    tiles = [
        (
            "Orders completed",
            f"{k['orders_completed']:,}",
            f"{k['orders_completed']}",
            "Product orders that reached *completed*, counted on their completion day.",
        ),
        (
            "Orders per day",
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
        (
            "Order fallout",
            "—" if k["order_fallout_pct"] is None else f"{k['order_fallout_pct']:.2f} %",
            "n/a (no orders created)"
            if k["order_fallout_pct"] is None
            else f"{k['order_fallout_pct']:.4f}",
            f"Orders held or failed ÷ orders created ({k['orders_fallout']:,} of "
            f"{k['orders_created']:,}), by creation day.",
        ),
        (
            "Median cycle time",
            "—" if cycle is None else f"{cycle:,.1f} h",
            "n/a (no completed orders)" if cycle is None else f"{cycle:.4f}",
            "Median of completion − creation over the orders completed in the period.",
        ),
    ]
    for column, (label, shown, exact, definition) in zip(
        st.columns(len(tiles)), tiles, strict=True
    ):
        with column:
            st.metric(label, shown, help=f"Exact: {exact}. {filters.describe()}.", border=True)
            st.caption(definition)


def _daily_frames(daily: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(per day and channel, per day over channels with on-time %) from `order_daily` rows."""
    by_channel = daily.filter(pl.col("channel").is_not_null()).select(
        "date_day", "channel", "orders_completed"
    )
    per_day = (
        daily.group_by("date_day")
        .agg(pl.col("orders_completed").sum(), pl.col("orders_on_time").sum())
        .with_columns(
            on_time_pct=pl.when(pl.col("orders_completed") > 0).then(
                (100.0 * pl.col("orders_on_time") / pl.col("orders_completed")).round(2)
            )
        )
        .sort("date_day")
    )
    return by_channel, per_day


def _channel_filter(filters: GlobalFilters) -> tuple[str, ...]:
    channels = queries.order_channels(filters)["channel"].to_list()
    selected = st.multiselect(
        "Channels (this page)",
        sorted(c for c in channels if c is not None),
        key=CHANNEL_KEY,
        bind="query-params",
        placeholder="All channels",
        select_all=False,
    )
    return tuple(selected)


def _trends(filters: GlobalFilters, channels: tuple[str, ...]) -> None:
    daily = queries.order_daily(filters, channels)
    by_channel, per_day = _daily_frames(daily)
    left, right = st.columns(2)
    with left:
        st.subheader("Throughput")
        if by_channel.is_empty():
            st.info("No orders were completed in this period and slice.")
        else:
            st.plotly_chart(charts.orders_trend(by_channel, per_day), key="orders_trend")
    with right:
        st.subheader("On-time delivery")
        st.plotly_chart(charts.on_time_trend(per_day), key="on_time_trend")


def _cycle_time(filters: GlobalFilters, channels, go_live) -> None:
    st.subheader("Cycle time before and after go-live")
    cycle_times = queries.order_cycle_times(filters, channels)
    if cycle_times.is_empty():
        st.info("No orders were completed in this period and slice.")
        return
    if go_live is None:
        st.caption(
            "The order fulfilment go-live date is not in this snapshot "
            "(reference table `automation_go_live`), so all orders are shown together."
        )
    st.plotly_chart(charts.cycle_time_distribution(cycle_times, go_live), key="cycle_time")


def _fallout(filters: GlobalFilters, channels) -> None:
    st.subheader("Fallout by reason and step")
    fallout = queries.order_fallout(filters, channels)
    if fallout.is_empty():
        st.info("No order created in this period and slice fell out of the automated flow.")
        return
    st.caption(
        "Reason: the state the order fell into (held for manual handling, or failed). Step: "
        "the last process-log activity before it fell out."
    )
    left, right = st.columns([3, 2])
    with left:
        st.plotly_chart(charts.fallout_by_step(fallout), key="fallout")
    with right:
        show_table(fallout, "order_fallout", scope=filters.describe())


def _backlog(filters: GlobalFilters, channels) -> None:
    st.subheader("Open backlog by age and jeopardy")
    backlog = queries.order_backlog(filters, channels)
    st.caption(
        f"{backlog.height:,} orders still open (not completed, cancelled, rejected or failed), "
        f"aged at {filters.end:%Y-%m-%d} 24:00 UTC; jeopardy compares their requested "
        "completion date with that moment."
    )
    if backlog.is_empty():
        return
    left, right = st.columns([2, 3])
    with left:
        st.plotly_chart(charts.backlog_by_age(backlog), key="backlog")
    with right:
        show_table(backlog, "open_backlog", scope=filters.describe(), height=300)


def _drill(filters: GlobalFilters, channels) -> None:
    st.subheader("Drill to an order")
    default = queries.slowest_order(filters, channels)
    order_id = st.text_input(
        "Order id (default: the slowest completed order of the selection)",
        key=ORDER_KEY,
        bind="query-params",
        placeholder=default or "PO-…",
    ).strip() or (default or "")
    if not order_id:
        return
    header = queries.order_header(order_id)
    if header is None:
        st.warning(f"No order `{order_id}` in the snapshot.")
        return
    st.markdown(
        f"**{header['order_id']}** · {header['channel']} · state **{header['state']}** · "
        f"created {header['created_at']:%Y-%m-%d %H:%M} · requested by "
        + (
            f"{header['requested_completion_at']:%Y-%m-%d %H:%M}"
            if header["requested_completion_at"]
            else "—"
        )
        + (f" · cycle time {header['cycle_time_hours']} h" if header["cycle_time_hours"] else "")
        + f" · customer {header['customer_id']} ({header['segment']}, {header['region']})"
    )
    events = queries.order_timeline(order_id)
    if events.is_empty():
        st.info("This order has no events in the process log or state history.")
        return
    st.plotly_chart(charts.order_timeline(events), key="order_timeline")
    show_table(events, f"order_timeline_{order_id}")


def _channel_table(filters: GlobalFilters, channels: tuple[str, ...]) -> None:
    summary = queries.order_channels(filters)
    if channels:
        summary = summary.filter(pl.col("channel").is_in(channels))
    st.subheader("Orders by channel")
    show_table(
        summary,
        "orders_by_channel",
        scope=filters.describe(),
        column_config={
            "channel": st.column_config.TextColumn("Channel"),
            "orders_created": st.column_config.NumberColumn("Created", format="localized"),
            "orders_completed": st.column_config.NumberColumn("Completed", format="localized"),
            "orders_on_time": st.column_config.NumberColumn("On time", format="localized"),
            "on_time_pct": st.column_config.NumberColumn("On-time %", format="%.2f"),
            "completed_per_day": st.column_config.NumberColumn("Completed/day", format="%.2f"),
            "median_cycle_time_hours": st.column_config.NumberColumn(
                "Median cycle time (h)", format="%.1f"
            ),
        },
    )


def render() -> None:
    filters = start_page(
        "Orders and provisioning",
        queries.ORDERS_TABLES,
        "Are orders on time and faster since automation? Orders follow the global filters "
        "through their customer's region, segment and home-cell technology.",
    )
    channels = _channel_filter(filters)
    if channels:
        st.caption(f"Tiles and charts for channel(s): {', '.join(channels)}.")
    k = queries.order_kpis(filters, channels)
    _tiles(filters, k)
    _trends(filters, channels)
    _cycle_time(filters, channels, queries.go_live("order_fulfilment"))
    _fallout(filters, channels)
    _backlog(filters, channels)
    _channel_table(filters, channels)
    _drill(filters, channels)


render()
