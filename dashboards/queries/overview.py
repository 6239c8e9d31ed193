"""The executive overview's own queries (its order, autonomy and ROI tiles read those pages'
modules): NPS from `kpi_nps_daily`, revenue leakage from `fct_revenue_leakage`."""

from __future__ import annotations

from typing import Any

import polars as pl

from dashboards.queries.global_filters import GlobalFilters
from dashboards.queries.runner import fetch
from orchestration.serving.kpi_window import nps_figure

# The counts of the NPS tile (its formula: orchestration.serving.kpi_window.nps_figure).
SQL_NPS_COUNTS = """
select
    coalesce(sum(promoters), 0)::bigint as promoters,
    coalesce(sum(detractors), 0)::bigint as detractors,
    coalesce(sum(responses), 0)::bigint as responses
from kpi_nps_daily
where channel = 'all' and date_day between $start and $end
"""

SQL_NPS_DAILY = """
select date_day, nps, responses from kpi_nps_daily
where channel = 'all' and date_day between $start and $end
order by date_day
"""

SQL_LEAKAGE = """
select count(distinct product_id)::bigint as services, round(sum(leakage_amount), 4) as amount
from fct_revenue_leakage
where billing_month between date_trunc('month', $start) and $end
"""

SQL_LEAKAGE_MONTHLY = """
select billing_month, sum(leakage_amount) as amount
from fct_revenue_leakage
where billing_month between date_trunc('month', $start) and $end
group by all
order by billing_month
"""


def nps(filters: GlobalFilters) -> dict[str, Any]:
    """NPS over the responses of the period (all survey channels), and how many responses."""
    counts = fetch(SQL_NPS_COUNTS, filters.params()).to_dicts()[0]
    nps_value = nps_figure(counts["promoters"], counts["detractors"], counts["responses"])
    return {"nps": nps_value, "responses": counts["responses"]}


def nps_daily(filters: GlobalFilters) -> pl.DataFrame:
    """NPS per response day (all channels)."""
    return fetch(SQL_NPS_DAILY, filters.params())


def leakage(filters: GlobalFilters) -> dict[str, Any]:
    """Leaking services and their amount over the billing months of the period."""
    return fetch(SQL_LEAKAGE, filters.params()).to_dicts()[0]


def leakage_monthly(filters: GlobalFilters) -> pl.DataFrame:
    """Leakage amount per billing month of the period."""
    return fetch(SQL_LEAKAGE_MONTHLY, filters.params())
