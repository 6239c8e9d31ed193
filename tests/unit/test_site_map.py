"""The Service page's map: sites made from per-cell rows, and the figure drawn from them."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
import polars as pl
import pytest

from dashboards import site_map


def cells(*rows: tuple) -> pl.DataFrame:
    return pl.DataFrame(
        rows,
        schema={
            "cell_id": pl.String, "site_id": pl.String, "region": pl.String,
            "technology": pl.String, "latitude": pl.Float64, "longitude": pl.Float64,
            "impaired_pct": pl.Float64, "incidents": pl.Int64, "revenue_at_risk": pl.Float64,
        },
        orient="row",
    )  # fmt: skip


NETWORK = cells(
    ("C-1a", "S-1", "North", "lte", 59.0, 15.0, 1.5, 2, 100.0),
    ("C-1b", "S-1", "North", "nr", 59.002, 15.002, 4.0, 1, 50.0),
    ("C-1c", "S-1", "North", "lte", 59.001, 15.001, None, 0, 0.0),
    ("C-2a", "S-2", "West", "nr", 58.0, 12.0, 0.0, 0, 0.0),
    ("C-3a", "S-3", "West", "lte", None, None, 9.0, 3, 900.0),
    ("C-4a", "S-4", "South", "lte", 56.0, 13.0, None, 0, None),
)


def test_site_takes_its_worst_cell_and_sums_its_cells() -> None:
    sites = {row["site_id"]: row for row in site_map.site_quality(NETWORK).iter_rows(named=True)}
    s1 = sites["S-1"]
    assert s1["worst_cell_id"] == "C-1b" and s1["worst_cell_technology"] == "nr"
    assert s1["impaired_pct"] == 4.0 and s1["cells"] == 3
    assert s1["incidents"] == 3 and s1["revenue_at_risk"] == 150.0
    assert s1["latitude"] == pytest.approx(59.001) and s1["longitude"] == pytest.approx(15.001)


def test_unlocated_cells_are_left_out_and_unmeasured_sites_kept() -> None:
    sites = site_map.site_quality(NETWORK)
    assert "S-3" not in sites["site_id"].to_list()
    s4 = sites.filter(pl.col("site_id") == "S-4").row(0, named=True)
    assert s4["impaired_pct"] is None and s4["revenue_at_risk"] == 0.0


def test_worst_sites_come_last_so_they_draw_on_top() -> None:
    assert site_map.site_quality(NETWORK)["site_id"].to_list() == ["S-4", "S-2", "S-1"]


def test_map_draws_one_marker_per_site_coloured_by_worst_cell() -> None:
    fig = site_map.site_map(NETWORK)
    (trace,) = fig.data
    assert isinstance(trace, go.Scatter)  # every site a marker below GRID_FROM_SITES sites
    assert list(trace.marker.color) == [0.0, 0.0, 4.0]  # unmeasured drawn as 0 (green)
    assert list(trace.marker.size) == [9.0, 9.0, 30.0]  # largest risk gets the largest marker
    assert trace.customdata[-1][3] == "C-1b"
    assert "mapbox" not in fig.to_json()  # no tiles: renders without internet


def many_sites(n: int) -> pl.DataFrame:
    """n one-cell sites on a 0.01-degree lattice; site i is impaired i % 7 percent."""
    return pl.DataFrame(
        {
            "cell_id": [f"C-{i}" for i in range(n)],
            "site_id": [f"S-{i}" for i in range(n)],
            "region": ["North"] * n,
            "technology": ["lte"] * n,
            "latitude": [55.0 + 0.01 * (i // 50) for i in range(n)],
            "longitude": [12.0 + 0.01 * (i % 50) for i in range(n)],
            "impaired_pct": [float(i % 7) for i in range(n)],
            "incidents": [i % 3 for i in range(n)],
            "revenue_at_risk": [float(i % 5) for i in range(n)],
        }
    )


def test_grid_bins_every_site_once_under_its_worst() -> None:
    sites = site_map.site_quality(many_sites(120))  # 50 x 3 lattice, last row partly filled
    grid = site_map.site_grid(sites, bins=10)
    assert grid["sites"].sum() == 120
    assert grid["z"].shape == grid["sites"].shape == (len(grid["y"]), len(grid["x"]))
    assert np.nanmax(grid["z"]) == 6.0
    assert np.isnan(grid["z"][grid["sites"] == 0]).all()  # no site, no colour
    assert (grid["sites"][~np.isnan(grid["z"])] > 0).all()


def test_a_large_network_is_a_grid_with_its_worst_sites_marked() -> None:
    n = site_map.GRID_FROM_SITES
    fig = site_map.site_map(many_sites(n))
    heat, marked = fig.data
    assert isinstance(heat, go.Heatmap) and isinstance(marked, go.Scatter)
    assert heat.coloraxis == marked.marker.coloraxis == "coloraxis"  # one colour scale
    assert np.asarray(heat.customdata).sum() == n  # every site in the grid
    assert len(marked.x) == site_map.MARKED_SITES
    worst = sorted((float(i % 7) for i in range(n)), reverse=True)[: site_map.MARKED_SITES]
    assert sorted((row[5] for row in marked.customdata), reverse=True) == worst
    assert "mapbox" not in fig.to_json()
    assert isinstance(site_map.site_map(many_sites(n - 1)).data[0], go.Scatter)
