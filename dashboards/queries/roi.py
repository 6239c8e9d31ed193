"""The ROI page's queries (also the overview's ROI tile): `kpi_roi_monthly`,
`kpi_roi_lever_daily`, `kpi_roi_costs_monthly`, `srv_roi_assumptions`."""

from __future__ import annotations

import polars as pl

from dashboards.queries.global_filters import MONTHS_IN_PERIOD, GlobalFilters
from dashboards.queries.runner import fetch
from dashboards.queries.snapshot import FRAME_TABLES

ROI_TABLES = FRAME_TABLES | {
    "kpi_roi_monthly",
    "kpi_roi_lever_daily",
    "kpi_roi_costs_monthly",
    "srv_roi_assumptions",
}

SQL_ROI_MONTHLY = f"""
select month_start_date, month_label, labour_benefit, fallout_benefit, truck_rolls_benefit,
       churn_benefit, leakage_benefit, benefit, cost, cumulative_benefit, cumulative_cost,
       cumulative_roi_pct, is_payback_month
from kpi_roi_monthly
where {MONTHS_IN_PERIOD}
order by month_start_date
"""

# Avoided units per month and lever (hours, fallouts, truck rolls, churners, leaking amount):
# what the what-if panel prices with edited assumptions.
SQL_ROI_AVOIDED = f"""
select month_start_date, strftime(month_start_date, '%Y-%m') as month_label, lever,
       sum(avoided_outcome)::double as avoided, sum(benefit)::double as benefit
from kpi_roi_lever_daily
where {MONTHS_IN_PERIOD}
group by all
order by month_start_date, lever
"""

SQL_ROI_ASSUMPTIONS = """
select assumption, value, unit, description from srv_roi_assumptions order by assumption
"""


def roi_monthly(filters: GlobalFilters) -> pl.DataFrame:
    """Benefit per lever, cost and cumulative curves per month of the period."""
    return fetch(SQL_ROI_MONTHLY, filters.params())


def roi_avoided(filters: GlobalFilters) -> pl.DataFrame:
    """Avoided units and benefit per month and lever, for the what-if recompute."""
    return fetch(SQL_ROI_AVOIDED, filters.params())


def roi_assumptions() -> pl.DataFrame:
    """The ROI money assumptions: assumption, value, unit, description."""
    return fetch(SQL_ROI_ASSUMPTIONS)
