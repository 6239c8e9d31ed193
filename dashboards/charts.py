"""Plotly figure builders for the dashboards: data in, figure out, no Streamlit and no SQL."""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl
from plotly.subplots import make_subplots

# Qualitative palette that stays readable in light and dark themes; one colour per channel.
CHANNEL_COLOURS = ("#4C78A8", "#72B7B2", "#F58518", "#54A24B", "#B279A2", "#9D755D", "#BAB0AC")
ON_TIME_COLOUR = "#E45756"

# Autonomy levels L0 (all human) to L5 (fully autonomous): one sequential scale, everywhere.
LEVEL_COLOURS = {
    0: "#D9D9D9",
    1: "#C6DBEF",
    2: "#9ECAE1",
    3: "#6BAED6",
    4: "#3182BD",
    5: "#08519C",
}
# Before and after an automation go-live, in every comparison.
BEFORE_AFTER_COLOURS = {"before": "#F58518", "after": "#4C78A8"}
# Who performs a task category (3GPP TS 28.100): Human, Human & System, System.
ROLE_COLOURS = {"Human": "#E45756", "Human & System": "#F2CF5B", "System": "#54A24B"}
# Good/bad for health and quality: passed or fresh, warning, failed or stale.
STATUS_COLOURS = {"ok": "#54A24B", "warning": "#F2CF5B", "failed": "#E45756"}


def level_label(level: int) -> str:
    """ "L3" for 3."""
    return f"L{int(level)}"


def orders_trend(by_channel: pl.DataFrame, on_time: pl.DataFrame) -> go.Figure:
    """Daily completed orders (bars stacked by channel) and on-time delivery % (line, right axis).

    `by_channel`: date_day, channel, orders_completed (per completion day and channel, UTC).
    `on_time`: date_day, on_time_pct (per completion day over the same channels, 0–100).
    """
    fig = make_subplots(specs=[[{"secondary_y": True}]])
    for i, channel in enumerate(sorted(by_channel["channel"].unique().to_list())):
        rows = by_channel.filter(pl.col("channel") == channel)
        fig.add_trace(
            go.Bar(
                x=rows["date_day"].to_list(),
                y=rows["orders_completed"].to_list(),
                name=channel,
                marker_color=CHANNEL_COLOURS[i % len(CHANNEL_COLOURS)],
                hovertemplate="%{x|%Y-%m-%d}<br>" + channel + ": %{y} completed<extra></extra>",
            ),
            secondary_y=False,
        )
    fig.add_trace(
        go.Scatter(
            x=on_time["date_day"].to_list(),
            y=on_time["on_time_pct"].to_list(),
            name="On-time %",
            mode="lines+markers",
            line={"color": ON_TIME_COLOUR, "width": 2},
            marker={"size": 5},
            connectgaps=False,
            hovertemplate="%{x|%Y-%m-%d}<br>on time: %{y:.1f}%<extra></extra>",
        ),
        secondary_y=True,
    )
    fig.update_layout(
        barmode="stack",
        height=420,
        margin={"l": 10, "r": 10, "t": 30, "b": 10},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0, "traceorder": "normal"},
        hovermode="x unified",
    )
    fig.update_xaxes(title_text="Completion day (UTC)")
    fig.update_yaxes(title_text="Orders completed", secondary_y=False, rangemode="tozero")
    # Fixed ticks: on-time % is always read against 0–100, whatever the bars' scale.
    fig.update_yaxes(
        title_text="On-time delivery",
        secondary_y=True,
        range=[0, 105],
        tickmode="array",
        tickvals=[0, 25, 50, 75, 100],
        ticksuffix="%",
        showgrid=False,
    )
    return fig


def _layout(fig: go.Figure, height: int = 380) -> go.Figure:
    fig.update_layout(
        height=height,
        margin={"l": 10, "r": 10, "t": 30, "b": 10},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0},
    )
    return fig


def on_time_trend(daily: pl.DataFrame) -> go.Figure:
    """On-time delivery % per completion day, with the completed orders it is over as bars.

    `daily`: date_day, orders_completed, on_time_pct (null on days without completions).
    """
    fig = make_subplots(specs=[[{"secondary_y": True}]])
    fig.add_trace(
        go.Bar(
            x=daily["date_day"].to_list(),
            y=daily["orders_completed"].to_list(),
            name="Completed",
            marker_color="#D9D9D9",
            hovertemplate="%{x|%Y-%m-%d}: %{y} completed<extra></extra>",
        ),
        secondary_y=True,
    )
    fig.add_trace(
        go.Scatter(
            x=daily["date_day"].to_list(),
            y=daily["on_time_pct"].to_list(),
            name="On-time %",
            mode="lines+markers",
            line={"color": ON_TIME_COLOUR, "width": 2},
            connectgaps=False,
            hovertemplate="%{x|%Y-%m-%d}: %{y:.1f}% on time<extra></extra>",
        ),
        secondary_y=False,
    )
    fig.update_yaxes(title_text="On time", range=[0, 105], ticksuffix="%", secondary_y=False)
    fig.update_yaxes(title_text="Completed", showgrid=False, secondary_y=True)
    fig.update_xaxes(title_text="Completion day (UTC)")
    return _layout(fig)


def cycle_time_distribution(cycle_times: pl.DataFrame, go_live: object | None) -> go.Figure:
    """Histogram of completed orders' cycle time (hours), split before/after the go-live day.

    `cycle_times`: completed_date, cycle_time_hours. Without a go-live day, one histogram.
    """
    fig = go.Figure()
    if go_live is None:
        groups = [("all orders", cycle_times, "#4C78A8")]
    else:
        groups = [
            (
                f"before go-live ({go_live})",
                cycle_times.filter(pl.col("completed_date") < go_live),
                BEFORE_AFTER_COLOURS["before"],
            ),
            (
                f"after go-live ({go_live})",
                cycle_times.filter(pl.col("completed_date") >= go_live),
                BEFORE_AFTER_COLOURS["after"],
            ),
        ]
    for name, rows, colour in groups:
        fig.add_trace(
            go.Histogram(
                x=rows["cycle_time_hours"].to_list(),
                name=f"{name}: {rows.height} orders",
                marker_color=colour,
                opacity=0.7,
                histnorm="percent",
                nbinsx=40,
                hovertemplate="%{x} h: %{y:.1f}% of orders<extra></extra>",
            )
        )
    fig.update_layout(barmode="overlay")
    fig.update_xaxes(title_text="Cycle time (hours, completion − creation)")
    fig.update_yaxes(title_text="% of the group's orders")
    return _layout(fig)


JEOPARDY_COLOURS = {
    "overdue": "#E45756",
    "due within 2 days": "#F2CF5B",
    "on track": "#54A24B",
    "no due date": "#BAB0AC",
}
AGE_BANDS = ("< 1 day", "1–3 days", "3–7 days", "7–14 days", "14+ days")


def backlog_by_age(backlog: pl.DataFrame) -> go.Figure:
    """Open orders per age band, stacked by jeopardy. `backlog`: age_band, jeopardy."""
    counts = backlog.group_by("age_band", "jeopardy").len()
    fig = go.Figure()
    for jeopardy, colour in JEOPARDY_COLOURS.items():
        rows = counts.filter(pl.col("jeopardy") == jeopardy)
        by_band = dict(zip(rows["age_band"].to_list(), rows["len"].to_list(), strict=True))
        fig.add_trace(
            go.Bar(
                x=list(AGE_BANDS),
                y=[by_band.get(band, 0) for band in AGE_BANDS],
                name=jeopardy,
                marker_color=colour,
            )
        )
    fig.update_layout(barmode="stack")
    fig.update_xaxes(title_text="Age at the period's last day")
    fig.update_yaxes(title_text="Open orders", rangemode="tozero")
    return _layout(fig, 320)


RESOURCE_COLOURS = {
    "human": ROLE_COLOURS["Human"],
    "human+system": ROLE_COLOURS["Human & System"],
    "system": ROLE_COLOURS["System"],
}


def order_timeline(events: pl.DataFrame) -> go.Figure:
    """One order's events on a time axis: process steps coloured by who did them, state changes
    as grey diamonds. `events`: event_time_utc, event_kind, activity, resource, resource_type."""
    fig = go.Figure()
    states = events.filter(pl.col("event_kind") == "order state")
    fig.add_trace(
        go.Scatter(
            x=states["event_time_utc"].to_list(),
            y=[f"state: {a}" for a in states["activity"].to_list()],
            mode="markers",
            name="order state",
            marker={"symbol": "diamond", "size": 11, "color": "#7F7F7F"},
            hovertemplate="%{x|%Y-%m-%d %H:%M}<br>%{y}<extra></extra>",
        )
    )
    steps = events.filter(pl.col("event_kind") == "process step")
    for resource_type, colour in RESOURCE_COLOURS.items():
        rows = steps.filter(pl.col("resource_type") == resource_type)
        if rows.is_empty():
            continue
        fig.add_trace(
            go.Scatter(
                x=rows["event_time_utc"].to_list(),
                y=rows["activity"].to_list(),
                mode="markers",
                name=f"done by {resource_type}",
                marker={"size": 12, "color": colour, "line": {"width": 1, "color": "#333"}},
                customdata=rows.select("resource", "task_category").rows(),
                hovertemplate=(
                    "%{x|%Y-%m-%d %H:%M}<br>%{y}<br>by %{customdata[0]} "
                    "(%{customdata[1]})<extra></extra>"
                ),
            )
        )
    fig.update_xaxes(title_text="Time (UTC)")
    fig.update_yaxes(title_text=None, autorange="reversed")
    return _layout(fig, max(260, 28 * events["activity"].n_unique() + 120))


def ledger_rows(sources: pl.DataFrame) -> go.Figure:
    """Rows loaded and quarantined per dataset (horizontal stacked bars)."""
    names = [f"{d} ({f})" for d, f in zip(sources["dataset"], sources["format"], strict=True)]
    fig = go.Figure()
    for column, label, colour in (
        ("rows_loaded", "loaded", STATUS_COLOURS["ok"]),
        ("rows_quarantined", "quarantined", STATUS_COLOURS["failed"]),
    ):
        fig.add_trace(
            go.Bar(
                y=names,
                x=sources[column].fill_null(0).to_list(),
                name=label,
                orientation="h",
                marker_color=colour,
                hovertemplate="%{y}: %{x:,} rows " + label + "<extra></extra>",
            )
        )
    fig.update_layout(barmode="group")
    fig.update_xaxes(title_text="Rows (log scale)", type="log")
    return _layout(fig, 60 + 26 * len(names))


FALLOUT_COLOURS = {"held": "#F2CF5B", "failed": "#E45756"}


def fallout_by_step(fallout: pl.DataFrame) -> go.Figure:
    """Fallout orders per step (horizontal bars), stacked by reason (held, failed).

    `fallout`: fallout_reason, fallout_step, orders.
    """
    totals = fallout.group_by("fallout_step").agg(pl.col("orders").sum()).sort("orders")
    steps = totals["fallout_step"].to_list()
    fig = go.Figure()
    for reason in sorted(fallout["fallout_reason"].unique().to_list()):
        rows = fallout.filter(pl.col("fallout_reason") == reason)
        by_step = dict(zip(rows["fallout_step"].to_list(), rows["orders"].to_list(), strict=True))
        fig.add_trace(
            go.Bar(
                y=steps,
                x=[by_step.get(step, 0) for step in steps],
                name=reason,
                orientation="h",
                marker_color=FALLOUT_COLOURS.get(reason, "#BAB0AC"),
                hovertemplate="%{y}: %{x} orders " + reason + "<extra></extra>",
            )
        )
    fig.update_layout(barmode="stack")
    fig.update_xaxes(title_text="Fallout orders (by creation day)")
    return _layout(fig, 120 + 30 * len(steps))


def sparkline(
    x: list, y: list, colour: str = "#4C78A8", go_live: object | None = None
) -> go.Figure:
    """A tiny trend line for a KPI tile (no axes); a dotted line marks the go-live day."""
    fig = go.Figure(
        go.Scatter(
            x=x,
            y=y,
            mode="lines",
            line={"color": colour, "width": 2},
            connectgaps=True,
            hovertemplate="%{x|%Y-%m-%d}: %{y:.2f}<extra></extra>",
        )
    )
    if go_live is not None:
        fig.add_vline(x=go_live, line={"dash": "dot", "color": "#7F7F7F", "width": 1})
    fig.update_layout(height=70, margin={"l": 0, "r": 0, "t": 0, "b": 0}, showlegend=False)
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return fig
