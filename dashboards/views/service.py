"""Service quality and experience: which cells hurt which customers, and what is at risk?

A map of the sites coloured by their worst cell's quality (plain longitude/latitude axes: no
map tiles, so it renders without internet), the cells ranked by quality, how experienced
quality relates to complaints, NPS and churn, the incidents with the customers they affected
and the revenue at risk, and a drill to one cell's KPI time series with its alarms and tickets
overlaid. Cells and incidents follow the region and technology filters; the experience trend and
the bands also follow the customer segment.
"""

from __future__ import annotations

import streamlit as st

from dashboards import charts, site_map, tables
from dashboards.page_header import start_page
from dashboards.queries import service as queries
from dashboards.queries.global_filters import GlobalFilters
from dashboards.tables import show_table

CELL_KEY = "cell"


def _tiles(totals: dict, risk: dict) -> None:
    uplift = risk.get("churn_uplift_pp")
    at_risk = risk.get("revenue_at_risk") or 0.0
    tiles = [
        ("Incidents detected", f"{totals['incidents']:,}", f"{totals['incidents']}",
         "Alarm episodes and degraded PM periods of a cell, grouped (started in the period)."),
        ("Quality incidents", f"{totals['quality_incidents']:,}",
         f"{totals['quality_incidents']}",
         "Of them, incidents with at least one degraded PM period: customers felt them."),
        ("Customers affected", f"{totals['customers_affected']:,}",
         f"{totals['customers_affected']}",
         "Customers served by the cell on a day the incident touched (summed over incidents)."),
        ("Revenue at risk", f"{at_risk:,.0f} EUR", f"{at_risk:.4f}",
         f"{risk.get('customers_at_risk') or 0:,} customers on degraded cells × customer value "
         "× churn uplift " + ("(n/a)" if uplift is None else f"({uplift:.2f} pp)")
         + "; operator-wide, whole period."),
    ]  # fmt: skip
    for column, (label, shown, exact, definition) in zip(st.columns(4), tiles, strict=True):
        with column:
            st.metric(label, shown, help=f"Exact: {exact}.", border=True)
            st.caption(definition)


def _drill(filters: GlobalFilters, cells) -> None:
    st.subheader("Drill to a cell")
    if cells.is_empty():
        st.info("No cell matches the filters.")
        return
    # The most impaired cells are listed (a 10,000-option list slows the page); any other cell
    # that the filters keep can be typed, or linked to with ?cell=.
    listed = cells["cell_id"].head(tables.LISTED_ROWS)
    cell_id = st.selectbox(
        f"Cell: the {listed.len():,} most impaired listed; type any other id",
        listed.to_list(),
        index=None,
        placeholder=f"Choose a cell ({listed[0]} is the most impaired)",
        key=CELL_KEY,
        bind="query-params",
        accept_new_options=True,
    )
    if cell_id is None:
        st.caption("A cell's KPIs hour by hour, with its alarms and tickets, once one is chosen.")
        return
    if cell_id not in cells["cell_id"]:
        st.warning(f"No cell {cell_id!r} matches the filters.")
        return
    hourly = queries.cell_hourly(cell_id, filters)
    alarms = queries.cell_alarms(cell_id, filters)
    tickets = queries.cell_tickets(cell_id, filters)
    st.caption(
        f"{cell_id}: {hourly.height:,} hours of KPIs, {alarms.height} alarm episodes (shaded), "
        f"{tickets.height} tickets (triangles) in the period."
    )
    st.plotly_chart(
        charts.cell_timeseries(hourly, alarms, tickets, filters.end), key="cell_timeseries"
    )
    left, right = st.columns(2)
    with left:
        show_table(alarms, f"alarms_{cell_id}")
    with right:
        show_table(tickets, f"tickets_{cell_id}")


def render() -> None:
    filters = start_page(
        "Service quality and experience",
        queries.SERVICE_TABLES,
        "Which cells hurt which customers, and what is at risk? Cells and incidents follow the "
        "region and technology filters; the experience trend and bands follow the customer segment "
        "too.",
    )
    totals = queries.incident_totals(filters)
    _tiles(totals, queries.revenue_at_risk())

    cells = queries.cell_map(filters)
    left, right = st.columns([3, 2])
    with left:
        st.subheader("Sites by their worst cell's quality")
        st.plotly_chart(site_map.site_map(cells), key="site_map")
        st.caption(
            "One marker per site (its cells lie within a few hundred metres). Colour: % of "
            "15-minute PM periods impaired (degraded or collapsed throughput) at the site's "
            "worst cell; size: revenue at risk attributed to its cells' incidents."
        )
    with right:
        st.subheader("Cells")
        show_table(cells, "cells", scope=filters.describe(), height=460, limit=tables.LISTED_ROWS)

    st.subheader("Experienced quality against complaints, NPS and churn")
    left, right = st.columns(2)
    with left:
        bands = queries.experience_bands(filters)
        st.plotly_chart(charts.experience_by_band(bands), key="bands")
        st.caption(
            "Customers of the selected regions, technologies and segments by their band: the "
            "worst experienced quality of their days with usage over the whole reporting period "
            "(the period filter does not narrow it)."
        )
    with right:
        daily = queries.experience_daily(filters)
        st.plotly_chart(charts.experience_trend(daily), key="experience_trend")
        st.caption(
            "Usage-weighted share of the day customers spent on impaired cells (degraded PM "
            "periods or collapsed throughput)."
        )
    show_table(bands, "experience_by_quality_band")

    st.subheader("Incidents, the customers they affected and the revenue at risk")
    st.caption(
        f"Revenue at risk attributed to the incidents shown: {totals['revenue_at_risk']:,.0f} "
        "EUR (home customers affected × customer value × the period's churn uplift)."
    )
    show_table(
        queries.incidents(filters),
        "incidents",
        scope=filters.describe(),
        limit=tables.LISTED_ROWS,
        column_config={
            "revenue_at_risk": st.column_config.NumberColumn("Revenue at risk", format="%.0f"),
        },
    )
    _drill(filters, cells)


render()
