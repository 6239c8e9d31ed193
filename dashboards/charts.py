"""Plotly figure builders for the dashboards: data in, figure out, no Streamlit and no SQL."""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl
from plotly.subplots import make_subplots

# Qualitative palette that stays readable in light and dark themes; one colour per channel.
CHANNEL_COLOURS = ("#4C78A8", "#72B7B2", "#F58518", "#54A24B", "#B279A2", "#9D755D", "#BAB0AC")
ON_TIME_COLOUR = "#E45756"


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
