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


def count_tick_step(largest: object, ticks: int = 5) -> int:
    """A round tick step (1, 2, 5, 10, 20, 50, …) for an axis of whole counts from 0 to
    `largest`, giving at most about `ticks` ticks; 1 for an empty or all-zero axis."""
    if not isinstance(largest, int | float) or largest <= 0:
        return 1
    step = 1
    while True:
        for factor in (1, 2, 5):
            if largest / (step * factor) <= ticks:
                return step * factor
        step *= 10


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
    # Explicit ticks: Plotly otherwise syncs an overlaying axis to the primary one's grid, and
    # the counts axis ticked at 5.41, 10.83, … (the 0–105 % grid scaled to the counts).
    fig.update_yaxes(
        title_text="Completed",
        showgrid=False,
        tickmode="linear",
        tick0=0,
        dtick=count_tick_step(daily["orders_completed"].max()),
        rangemode="tozero",
        secondary_y=True,
    )
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


WORKFLOW_COLOURS = {
    "order_fulfilment": "#4C78A8",
    "fault_management": "#F58518",
    "billing_dispute": "#54A24B",
}


def autonomy_levels(monthly: pl.DataFrame) -> go.Figure:
    """Decimal autonomy score per workflow and month (lines), each marker filled with the colour
    of that month's integer level L0–L5. `monthly`: workflow, month_label, autonomy_level,
    autonomy_score."""
    fig = go.Figure()
    for workflow in sorted(monthly["workflow"].unique().to_list()):
        rows = monthly.filter(pl.col("workflow") == workflow).sort("month_label")
        levels = rows["autonomy_level"].to_list()
        fig.add_trace(
            go.Scatter(
                x=rows["month_label"].to_list(),
                y=rows["autonomy_score"].to_list(),
                name=workflow,
                mode="lines+markers+text",
                text=[level_label(v) for v in levels],
                textposition="top center",
                line={"color": WORKFLOW_COLOURS.get(workflow, "#7F7F7F"), "width": 2},
                marker={
                    "size": 16,
                    "color": [LEVEL_COLOURS[int(v)] for v in levels],
                    "line": {"color": WORKFLOW_COLOURS.get(workflow, "#7F7F7F"), "width": 2},
                },
                hovertemplate=(workflow + " %{x}: level %{text}, score %{y:.2f}<extra></extra>"),
            )
        )
    fig.update_yaxes(
        title_text="Autonomy (decimal score; label = integer level)",
        range=[-0.2, 5.4],
        tickvals=list(range(6)),
        ticktext=[level_label(v) for v in range(6)],
    )
    fig.update_xaxes(title_text="Month", type="category")
    return _layout(fig)


ROLE_ORDER = ("Human", "Human & System", "System")


def role_heatmap(categories: pl.DataFrame) -> go.Figure:
    """Role of each task category (rows, execution … intent) per month (columns) for one
    workflow, in the role colours; the text is the share of tasks a system did alone."""
    ordered = categories.sort("category_order", "month_start_date")
    months = sorted({d.strftime("%Y-%m") for d in ordered["month_start_date"].to_list()})
    names = (
        ordered.select("category_order", "task_category")
        .unique()
        .sort("category_order")["task_category"]
        .to_list()
    )
    z, text = [], []
    for name in names:
        rows = ordered.filter(pl.col("task_category") == name)
        by_month = {
            d.strftime("%Y-%m"): (role, share)
            for d, role, share in rows.select(
                "month_start_date", "role", "system_task_share"
            ).iter_rows()
        }
        z.append([ROLE_ORDER.index(by_month[m][0]) if m in by_month else None for m in months])
        text.append(
            [
                f"{by_month[m][0]}<br>{100 * by_month[m][1]:.0f}% system"
                if m in by_month and by_month[m][1] is not None
                else (by_month[m][0] if m in by_month else "")
                for m in months
            ]
        )
    colours = [ROLE_COLOURS[r] for r in ROLE_ORDER]
    scale = [
        [0.0, colours[0]], [1 / 3, colours[0]], [1 / 3, colours[1]],
        [2 / 3, colours[1]], [2 / 3, colours[2]], [1.0, colours[2]],
    ]  # fmt: skip
    fig = go.Figure(
        go.Heatmap(
            z=z,
            x=months,
            y=names,
            text=text,
            texttemplate="%{text}",
            colorscale=scale,
            zmin=-0.5,
            zmax=2.5,
            showscale=True,
            colorbar={"tickvals": [0, 1, 2], "ticktext": list(ROLE_ORDER), "title": "Role"},
            hovertemplate="%{y} in %{x}: %{text}<extra></extra>",
            xgap=2,
            ygap=2,
        )
    )
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(type="category")
    return _layout(fig, 320)


LEVER_LABELS = {
    "labour": "Labour saved",
    "fallout": "Fallout avoided",
    "truck_rolls": "Truck rolls avoided",
    "churn": "Churn avoided",
    "leakage": "Leakage recovered",
}


def roi_waterfall(benefit_by_lever: dict[str, float], cost: float) -> go.Figure:
    """Benefits by lever adding up to the total benefit, minus the program cost, to the net."""
    levers = [lever for lever in LEVER_LABELS if lever in benefit_by_lever]
    benefit = sum(benefit_by_lever[lever] for lever in levers)
    fig = go.Figure(
        go.Waterfall(
            x=[LEVER_LABELS[lever] for lever in levers] + ["Benefit", "Program cost", "Net"],
            measure=["relative"] * len(levers) + ["total", "relative", "total"],
            y=[benefit_by_lever[lever] for lever in levers] + [benefit, -cost, benefit - cost],
            text=[f"{benefit_by_lever[lever]:,.0f}" for lever in levers]
            + [f"{benefit:,.0f}", f"{-cost:,.0f}", f"{benefit - cost:,.0f}"],
            textposition="outside",
            increasing={"marker": {"color": STATUS_COLOURS["ok"]}},
            decreasing={"marker": {"color": STATUS_COLOURS["failed"]}},
            totals={"marker": {"color": "#4C78A8"}},
            connector={"line": {"color": "#BAB0AC"}},
        )
    )
    fig.update_yaxes(title_text="EUR")
    return _layout(fig)


def roi_cumulative(
    months: list[str],
    cumulative_benefit: list[float],
    cumulative_cost: list[float],
    payback_month: str | None,
) -> go.Figure:
    """Cumulative benefit against cumulative cost per month, with the payback point marked."""
    fig = go.Figure()
    fig.add_trace(
        go.Scatter(x=months, y=cumulative_benefit, name="Cumulative benefit",
                   mode="lines+markers", line={"color": BEFORE_AFTER_COLOURS["after"], "width": 3})
    )  # fmt: skip
    fig.add_trace(
        go.Scatter(x=months, y=cumulative_cost, name="Cumulative cost",
                   mode="lines+markers", line={"color": "#E45756", "width": 3, "dash": "dash"})
    )  # fmt: skip
    if payback_month is not None and payback_month in months:
        i = months.index(payback_month)
        fig.add_trace(
            go.Scatter(
                x=[payback_month],
                y=[cumulative_benefit[i]],
                name=f"Payback {payback_month}",
                mode="markers",
                marker={
                    "symbol": "star",
                    "size": 18,
                    "color": "#F2CF5B",
                    "line": {"color": "#333", "width": 1},
                },
            )  # fmt: skip
        )
    fig.update_xaxes(title_text="Month", type="category")
    fig.update_yaxes(title_text="EUR")
    return _layout(fig)


# Cell quality: green (never impaired) to red (often impaired), in % of PM periods impaired.
QUALITY_SCALE = [[0.0, "#54A24B"], [0.2, "#F2CF5B"], [1.0, "#E45756"]]


def experience_by_band(bands: pl.DataFrame) -> go.Figure:
    """Complaint rate, NPS and churn rate per experienced-quality band (best first)."""
    fig = make_subplots(rows=1, cols=3, subplot_titles=("Complaint rate %", "NPS", "Churn rate %"))
    names = bands["quality_band"].to_list()
    for col, (column, colour) in enumerate(
        (("complaint_rate_pct", "#F58518"), ("nps", "#4C78A8"), ("churn_rate_pct", "#E45756")),
        start=1,
    ):
        fig.add_trace(
            go.Bar(x=names, y=bands[column].to_list(), marker_color=colour, showlegend=False,
                   hovertemplate="%{x}: %{y:.2f}<extra></extra>"),
            row=1, col=col,
        )  # fmt: skip
    return _layout(fig, 320)


def experience_trend(daily: pl.DataFrame) -> go.Figure:
    """Per day: the degraded share customers experienced (line) and their complaints (bars)."""
    fig = make_subplots(specs=[[{"secondary_y": True}]])
    fig.add_trace(
        go.Bar(x=daily["date_day"].to_list(), y=daily["complaints"].to_list(),
               name="Complaints", marker_color="#F58518", opacity=0.6),
        secondary_y=True,
    )  # fmt: skip
    fig.add_trace(
        go.Scatter(x=daily["date_day"].to_list(), y=daily["experienced_impaired_pct"].to_list(),
                   name="Experienced impaired %", mode="lines", line={"color": "#E45756"}),
        secondary_y=False,
    )  # fmt: skip
    fig.update_yaxes(title_text="Usage-weighted % impaired", secondary_y=False, rangemode="tozero")
    fig.update_yaxes(title_text="Complaints", secondary_y=True, showgrid=False)
    return _layout(fig, 320)


def cell_timeseries(
    hourly: pl.DataFrame, alarms: pl.DataFrame, tickets: pl.DataFrame, end: object
) -> go.Figure:
    """One cell's hourly accessibility, retainability and availability, with its alarm
    episodes shaded and its tickets marked."""
    fig = go.Figure()
    for column, label, colour in (
        ("accessibility_pct", "Accessibility %", "#4C78A8"),
        ("retainability_pct", "Retainability %", "#54A24B"),
        ("availability_pct", "Availability %", "#B279A2"),
    ):
        fig.add_trace(
            go.Scatter(x=hourly["hour_start_utc"].to_list(), y=hourly[column].to_list(),
                       name=label, mode="lines", line={"color": colour, "width": 1.5})
        )  # fmt: skip
    for condition, started, ended in alarms.select(
        "alarm_condition", "started_at", "ended_at"
    ).iter_rows():
        fig.add_vrect(
            x0=started, x1=ended or end, fillcolor="#E45756", opacity=0.18, line_width=0,
            annotation_text=condition, annotation_position="top left",
            annotation_font_size=9,
        )  # fmt: skip
    if not tickets.is_empty():
        fig.add_trace(
            go.Scatter(
                x=tickets["created_at"].to_list(),
                y=[2.0] * tickets.height,
                name="Tickets",
                mode="markers",
                marker={"symbol": "triangle-up", "size": 12, "color": "#F58518"},
                customdata=tickets.select("ticket_id", "ticket_type", "status").rows(),
                hovertemplate=(
                    "%{customdata[0]} (%{customdata[1]}, %{customdata[2]})<br>"
                    "%{x|%Y-%m-%d %H:%M}<extra></extra>"
                ),
            )
        )
    fig.update_yaxes(title_text="%", range=[0, 102])
    fig.update_xaxes(title_text="Hour (UTC)")
    return _layout(fig, 380)
