"""The Service page's map: sites made from per-cell rows, and the figure drawn from them."""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl
import pytest

from dashboards import charts


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
    sites = {row["site_id"]: row for row in charts.site_quality(NETWORK).iter_rows(named=True)}
    s1 = sites["S-1"]
    assert s1["worst_cell_id"] == "C-1b" and s1["worst_cell_technology"] == "nr"
    assert s1["impaired_pct"] == 4.0 and s1["cells"] == 3
    assert s1["incidents"] == 3 and s1["revenue_at_risk"] == 150.0
    assert s1["latitude"] == pytest.approx(59.001) and s1["longitude"] == pytest.approx(15.001)


def test_unlocated_cells_are_left_out_and_unmeasured_sites_kept() -> None:
    sites = charts.site_quality(NETWORK)
    assert "S-3" not in sites["site_id"].to_list()
    s4 = sites.filter(pl.col("site_id") == "S-4").row(0, named=True)
    assert s4["impaired_pct"] is None and s4["revenue_at_risk"] == 0.0


def test_worst_sites_come_last_so_they_draw_on_top() -> None:
    assert charts.site_quality(NETWORK)["site_id"].to_list() == ["S-4", "S-2", "S-1"]


def test_map_draws_one_marker_per_site_coloured_by_worst_cell() -> None:
    fig = charts.site_map(NETWORK)
    (trace,) = fig.data
    assert isinstance(trace, go.Scatter)  # SVG below WEBGL_FROM_SITES sites
    assert list(trace.marker.color) == [0.0, 0.0, 4.0]  # unmeasured drawn as 0 (green)
    assert list(trace.marker.size) == [9.0, 9.0, 30.0]  # largest risk gets the largest marker
    assert trace.customdata[-1][3] == "C-1b"
    assert "mapbox" not in fig.to_json()  # no tiles: renders without internet


def test_map_switches_to_webgl_for_many_sites() -> None:
    n = charts.WEBGL_FROM_SITES
    many = pl.concat(
        [NETWORK.head(1).with_columns(pl.lit(f"S-{i}").alias("site_id")) for i in range(n)]
    )
    assert isinstance(charts.site_map(many).data[0], go.Scattergl)
    assert isinstance(charts.site_map(many.head(n - 1)).data[0], go.Scatter)
