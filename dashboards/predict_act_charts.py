"""Plotly figures of the Predict and act page: data in, figure out, no Streamlit and no SQL.
Inputs are the frames of the page's queries (dashboards/queries/predict_act.py)."""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl

from dashboards.charts import QUALITY_SCALE, _layout

GUARD_COLOURS = {
    "allowed": "#54A24B",
    "approval_required": "#4C78A8",
    "escalated_drift": "#F58518",
    "inform_only": "#BAB0AC",
    "no_rights": "#E45756",
}
DRIFT_SCALE = [[0.0, "#54A24B"], [0.5, "#F2CF5B"], [1.0, "#E45756"]]


def risk_distribution(orders: pl.DataFrame, threshold: float | None) -> go.Figure:
    """Histogram of the scored orders' fallout risk, open and closed stacked, with the
    decision threshold (route_order_to_precheck) as a vertical line."""
    fig = go.Figure()
    for is_open, name, colour in ((True, "open", "#4C78A8"), (False, "closed", "#BAB0AC")):
        part = orders.filter(pl.col("is_open") == is_open)
        fig.add_trace(
            go.Histogram(
                x=part["risk"].to_numpy(), name=f"{name} orders", marker_color=colour,
                xbins={"start": 0, "end": 1, "size": 0.025},
            )
        )  # fmt: skip
    fig.update_layout(barmode="stack")
    if threshold is not None:
        fig.add_vline(x=threshold, line_dash="dash", annotation_text=f"act at {threshold:g}")
    fig.update_xaxes(title_text="Fallout risk (probability)", range=[0, 1])
    fig.update_yaxes(title_text="Orders")
    return _layout(fig, 320)


def anomaly_timeline(timeline: pl.DataFrame) -> go.Figure:
    """Cells flagged anomalous per UTC hour (bars) and the hour's highest score (line)."""
    fig = go.Figure()
    fig.add_trace(
        go.Bar(
            x=timeline["hour_start_utc"].to_list(), y=timeline["anomalous_cells"].to_numpy(),
            name="cells flagged", marker_color="#E45756",
        )
    )  # fmt: skip
    fig.add_trace(
        go.Scatter(
            x=timeline["hour_start_utc"].to_list(), y=timeline["max_score"].to_numpy(),
            name="highest score", yaxis="y2", mode="lines", line={"color": "#4C78A8", "width": 1},
        )
    )  # fmt: skip
    fig.update_layout(
        yaxis={"title": "Cells flagged"},
        yaxis2={"title": "Highest score", "overlaying": "y", "side": "right", "showgrid": False},
    )
    return _layout(fig, 320)


def anomaly_map(cells: pl.DataFrame) -> go.Figure:
    """Cells on plain longitude/latitude axes (no map tiles), coloured by hours flagged
    anomalous; cells never flagged small and grey."""
    fig = go.Figure()
    quiet = cells.filter(pl.col("anomalous_hours") == 0)
    hit = cells.filter(pl.col("anomalous_hours") > 0)
    fig.add_trace(
        go.Scatter(
            x=quiet["longitude"].to_numpy(), y=quiet["latitude"].to_numpy(), mode="markers",
            name="not flagged", marker={"size": 5, "color": "#BAB0AC"},
            customdata=quiet.select("cell_id", "region").to_numpy(),
            hovertemplate="%{customdata[0]} (%{customdata[1]})<extra></extra>",
        )
    )  # fmt: skip
    top = float(hit["anomalous_hours"].max() or 1) if hit.height else 1.0
    fig.add_trace(
        go.Scatter(
            x=hit["longitude"].to_numpy(), y=hit["latitude"].to_numpy(), mode="markers",
            name="flagged",
            marker={
                "size": (10 + 14 * hit["anomalous_hours"] / top).to_numpy(),
                "color": hit["anomalous_hours"].to_numpy(), "colorscale": QUALITY_SCALE,
                "cmin": 0, "colorbar": {"title": "hours<br>flagged"},
                "line": {"width": 0.5, "color": "#333"},
            },
            customdata=hit.select("cell_id", "region", "anomalous_hours", "max_score").to_numpy(),
            hovertemplate=(
                "%{customdata[0]} (%{customdata[1]})<br>%{customdata[2]} hours flagged, "
                "highest score %{customdata[3]:.1f}<extra></extra>"
            ),
        )
    )  # fmt: skip
    fig.update_xaxes(title_text="Longitude", showgrid=True)
    fig.update_yaxes(title_text="Latitude", scaleanchor="x", scaleratio=1.3, showgrid=True)
    return _layout(fig, 420)


def churn_money_at_risk(segments: pl.DataFrame) -> go.Figure:
    """Money at risk per segment (bars) with the expected churners on hover."""
    fig = go.Figure(
        go.Bar(
            x=segments["segment"].to_list(), y=segments["money_at_risk"].to_numpy(),
            marker_color="#F58518",
            customdata=segments.select("customers", "expected_churners").to_numpy(),
            hovertemplate=(
                "%{x}: %{y:,.0f} EUR at risk<br>%{customdata[0]:,} customers, "
                "%{customdata[1]:,.1f} expected to churn<extra></extra>"
            ),
        )
    )  # fmt: skip
    fig.update_yaxes(title_text="Money at risk [EUR]")
    return _layout(fig, 320)


def decisions_by_verdict(decisions: pl.DataFrame) -> go.Figure:
    """Logged decisions per action, stacked by the guard's verdict."""
    fig = go.Figure()
    for verdict, colour in GUARD_COLOURS.items():
        part = decisions.filter(pl.col("guard_result") == verdict)
        if part.height:
            fig.add_trace(
                go.Bar(
                    y=part["action"].to_list(), x=part["decisions"].to_numpy(), name=verdict,
                    orientation="h", marker_color=colour,
                )
            )  # fmt: skip
    fig.update_layout(barmode="stack")
    fig.update_xaxes(title_text="Decisions logged")
    return _layout(fig, 300)


def drift_heatmap(drift: pl.DataFrame) -> go.Figure:
    """PSI / threshold per model feature (rows) and week (columns): above 1 is drift.
    Structural features (reported, never judged: docs/governance.md) are left out."""
    judged = drift.filter(
        pl.col("psi").is_not_null() & (pl.col("status") != "structural")
    ).with_columns(
        label=pl.col("model") + " · " + pl.col("feature"),
        ratio=(pl.col("psi") / pl.col("threshold")).round(3),
    )
    labels = sorted(judged["label"].unique().to_list())
    weeks = sorted(judged["period_start"].unique().to_list())
    cell = {(r["label"], r["period_start"]): r["ratio"] for r in judged.iter_rows(named=True)}
    z = [[cell.get((lab, wk)) for wk in weeks] for lab in labels]
    fig = go.Figure(
        go.Heatmap(
            x=[str(w) for w in weeks], y=labels, z=z, colorscale=DRIFT_SCALE, zmin=0, zmax=2,
            colorbar={"title": "PSI /<br>threshold"}, hoverongaps=False,
            hovertemplate="%{y}<br>week of %{x}: PSI %{z:.2f} x threshold<extra></extra>",
        )
    )  # fmt: skip
    return _layout(fig, max(260, 22 * len(labels) + 80))
