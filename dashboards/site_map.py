"""The Service page's site map: per-cell rows made into sites, binned on a grid when there are
many, and the figure drawn from them (no Streamlit, no SQL)."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
import polars as pl

from dashboards.charts import QUALITY_SCALE, _layout

# From this many sites the map is a grid plus the worst sites' markers (`site_map`): one marker
# per site costs a browser without a GPU ≈0.7 s of the Service page's render for 3,334 sites
# with WebGL (Scattergl) and ≈1.7 s more with SVG; a heat map is one image whatever the count.
GRID_FROM_SITES = 1000
# Grid cells along the longer side of the network's extent, and the worst sites marked on it.
GRID_BINS = 60
MARKED_SITES = 200


def site_quality(cells: pl.DataFrame) -> pl.DataFrame:
    """One row per site from per-cell rows: where its cells stand (mean position), its worst
    cell and that cell's impaired %, and its cells' incidents and revenue at risk summed.
    Least impaired first, so that a map draws the worst sites last, on top.

    A site's cells lie within about 250 m of each other, a fraction of a pixel on a map of the
    whole network: one marker per site shows what per-cell markers would, with a third of the
    markers for the browser to draw. Cells without a position are left out.
    """
    located = cells.filter(pl.col("latitude").is_not_null() & pl.col("longitude").is_not_null())
    worst_first = located.sort(
        pl.col("impaired_pct").fill_null(-1.0), "cell_id", descending=[True, False]
    )
    return (
        worst_first.group_by("site_id", maintain_order=True)
        .agg(
            pl.col("region").first(),
            pl.col("latitude").mean(),
            pl.col("longitude").mean(),
            pl.len().alias("cells"),
            pl.col("cell_id").first().alias("worst_cell_id"),
            pl.col("technology").first().alias("worst_cell_technology"),
            pl.col("impaired_pct").first(),
            pl.col("incidents").sum(),
            pl.col("revenue_at_risk").fill_null(0).sum(),
        )
        .sort(pl.col("impaired_pct").fill_null(-1.0), "site_id")
    )


def _site_markers(sites: pl.DataFrame) -> go.Scatter:
    """One SVG marker per site: colour = impaired % of its worst cell (on the figure's colour
    axis), size = revenue at risk."""
    risk = sites["revenue_at_risk"].cast(pl.Float64)
    top = float(risk.max() or 0) or 1.0
    # NumPy arrays, not lists: Plotly validates a list element by element, an array at once.
    return go.Scatter(
        x=sites["longitude"].to_numpy(),
        y=sites["latitude"].to_numpy(),
        mode="markers",
        name="sites",
        showlegend=False,
        marker={
            "size": (9 + 21 * (risk / top)).to_numpy(),
            "color": sites["impaired_pct"].fill_null(0).to_numpy(),
            "coloraxis": "coloraxis",
            "line": {"width": 0.5, "color": "#333"},
            "opacity": 0.85,
        },
        customdata=sites.select(
            "site_id",
            "region",
            "cells",
            "worst_cell_id",
            "worst_cell_technology",
            "impaired_pct",
            "incidents",
            "revenue_at_risk",
        ).to_numpy(),
        hovertemplate=(
            "%{customdata[0]} (%{customdata[1]}, %{customdata[2]} cells)<br>"
            "worst cell: %{customdata[3]} (%{customdata[4]}), "
            "impaired %{customdata[5]:.2f}% of periods<br>"
            "incidents: %{customdata[6]}<br>"
            "revenue at risk: %{customdata[7]:,.0f} EUR<extra></extra>"
        ),
    )


def site_grid(sites: pl.DataFrame, bins: int = GRID_BINS) -> dict:
    """The sites binned on a longitude/latitude grid of square-ish cells (`bins` along the
    longer side): bin centres `x` (longitude) and `y` (latitude), and per bin (rows = y) the
    worst site's impaired % (`z`, NaN where no site stands: a gap) and the number of sites."""
    lon, lat = sites["longitude"].to_numpy(), sites["latitude"].to_numpy()
    span = max(float(lon.max() - lon.min()), float(lat.max() - lat.min())) or 1.0
    step = span / bins
    # The grid's size comes from the bin numbers themselves: a site on the far edge can fall
    # in bin `bins` or `bins - 1` by float rounding, and the grid must hold either.
    ix = np.floor((lon - lon.min()) / step).astype(np.int64)
    iy = np.floor((lat - lat.min()) / step).astype(np.int64)
    nx, ny = int(ix.max()) + 1, int(iy.max()) + 1
    binned = (
        pl.DataFrame({"ix": ix, "iy": iy, "impaired_pct": sites["impaired_pct"].fill_null(0)})
        .group_by("ix", "iy")
        .agg(pl.col("impaired_pct").max(), pl.len().alias("sites"))
    )
    z = np.full((ny, nx), np.nan)
    count = np.zeros((ny, nx), dtype=np.int64)
    bx, by = binned["ix"].to_numpy(), binned["iy"].to_numpy()
    z[by, bx] = binned["impaired_pct"].to_numpy()
    count[by, bx] = binned["sites"].to_numpy()
    return {
        "x": float(lon.min()) + step * (np.arange(nx) + 0.5),
        "y": float(lat.min()) + step * (np.arange(ny) + 0.5),
        "z": z,
        "sites": count,
    }


def site_map(cells: pl.DataFrame) -> go.Figure:
    """The network's sites on plain longitude/latitude axes (no map tiles: renders without
    internet), coloured by their worst cell's share of PM periods impaired (degraded or
    collapsed throughput); larger markers carry more revenue at risk. `site_quality` makes the
    sites from `cells`: cell_id, site_id, region, technology, latitude, longitude,
    impaired_pct, incidents, revenue_at_risk.

    Below `GRID_FROM_SITES` sites, one marker per site. From it, a grid (`site_grid`) coloured
    by the worst site in each grid cell shows the whole network, and the `MARKED_SITES` most
    impaired sites are markers on top, with their details on hover.
    """
    sites = site_quality(cells)
    impaired = sites["impaired_pct"].fill_null(0)
    fig = go.Figure()
    fig.update_layout(
        coloraxis={
            "colorscale": QUALITY_SCALE,
            "cmin": 0,
            "cmax": max(5.0, float(impaired.max() or 0)),
            "colorbar": {"title": "% periods<br>impaired<br>(worst cell)"},
        }
    )
    if sites.height < GRID_FROM_SITES:
        fig.add_trace(_site_markers(sites))
    else:
        grid = site_grid(sites)
        fig.add_trace(
            go.Heatmap(
                x=grid["x"], y=grid["y"], z=grid["z"], customdata=grid["sites"],
                coloraxis="coloraxis", hoverongaps=False, name="grid",
                hovertemplate=(
                    "%{customdata} sites around %{y:.2f}, %{x:.2f}<br>"
                    "worst: %{z:.2f}% of periods impaired<extra></extra>"
                ),
            )
        )  # fmt: skip
        worst = sites.filter(pl.col("impaired_pct") > 0).tail(MARKED_SITES)
        fig.add_trace(_site_markers(worst))
    fig.update_xaxes(title_text="Longitude", showgrid=True)
    fig.update_yaxes(title_text="Latitude", scaleanchor="x", scaleratio=1.3, showgrid=True)
    return _layout(fig, 460)
