"""Customer-side truth (docs/kpi_definitions.md): NPS, churn rate, churn uplift and revenue
leakage, from the simulator's customer, survey, billing and usage records."""

from __future__ import annotations

import numpy as np

from .billing import billing_months
from .customers import PLANS, Customers
from .network import Impairment
from .surveys import Survey
from .timefmt import Period
from .truth_autonomy import month_of
from .truth_operations import r4


def nps(surveys: list[Survey]) -> float | None:
    scores = [s.nps for s in surveys if 0 <= s.nps <= 10]
    if not scores:
        return None
    promoters = sum(1 for x in scores if x >= 9)
    detractors = sum(1 for x in scores if x <= 6)
    return r4(100.0 * (promoters - detractors) / len(scores))


def churn_rate_pct(cust: Customers, period: Period) -> float | None:
    """Every customer record starts at t0 (the CRM extract covers the period), so the cohort
    active at the start is everybody not terminated before t0."""
    cohort = (cust.churn_t < 0) | (cust.churn_t >= period.t0)
    churned = cohort & (cust.churn_t >= period.t0) & (cust.churn_t < period.t1)
    n = int(cohort.sum())
    return r4(100.0 * int(churned.sum()) / n) if n else None


# impairment kinds the PM degradation rule sees (throughput is not used, see the doc)
PM_VISIBLE_KINDS = ("outage", "low_rrc_success", "high_drops")


def churn_uplift(cust: Customers, imps: list[Impairment], period: Period) -> dict:
    """Churn of customers whose home cell had a planted outage or PM-visible degradation in the
    period vs all other customers, in percentage points."""
    hit_cells = np.array(
        sorted({i.cell for i in imps if i.kind in PM_VISIBLE_KINDS and i.start < period.t1}),
        dtype=np.int64,
    )
    exposed = np.isin(cust.home_cell, hit_cells)
    churned = (cust.churn_t >= period.t0) & (cust.churn_t < period.t1)
    rx = float(churned[exposed].mean()) if exposed.any() else None
    ru = float(churned[~exposed].mean()) if (~exposed).any() else None
    return {
        "exposure": "home cell had a planted outage, low_rrc_success or high_drops impairment",
        "customers_exposed": int(exposed.sum()),
        "churn_rate_exposed_pct": r4(100.0 * rx) if rx is not None else None,
        "churn_rate_unexposed_pct": r4(100.0 * ru) if ru is not None else None,
        "uplift_pp": r4(100.0 * (rx - ru)) if rx is not None and ru is not None else None,
    }


def leakage(
    cust: Customers,
    unbilled: np.ndarray,
    unbilled_usage_days: dict[int, set[int]],
    period: Period,
) -> dict:
    """Active-but-unbilled (usage in a billing month, no rate that month) and billed-but-
    inactive (billed for a month the customer was already terminated at the start of) services.

    Returns {"services": int, "amount": float, "by_month": {"YYYY-MM": amount}}.
    """
    months = billing_months(period)
    skip = np.zeros(cust.n, dtype=bool)
    skip[unbilled] = True
    leaking: set[int] = set()
    by_month: dict[str, float] = {}
    for a, b in months:
        m = month_of(a)
        amount = 0.0
        for c in map(int, unbilled):
            days = unbilled_usage_days.get(c, set())
            if any(a <= period.day_t0(d) < b for d in days):
                leaking.add(c)
                amount += PLANS[int(cust.plan[c])][1]
        billed = cust.active_on(a) & ~skip
        inactive = billed & (cust.churn_t >= 0) & (cust.churn_t <= a)
        for c in np.flatnonzero(inactive):
            leaking.add(int(c))
            amount += PLANS[int(cust.plan[c])][1]
        by_month[m] = amount
    return {
        "services": len(leaking),
        "amount": round(sum(by_month.values()), 4),
        "by_month": by_month,
    }
