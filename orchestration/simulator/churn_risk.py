"""Predictable churn: at each assessment day, every active customer leaves within the next
window with a probability set by what the operator could know that day. The assessment days are
the platform's (windows.churn_assessment_days) plus day 0, so the hazard covers the period.

Drivers (all before the assessment day, over the 28 days before it unless stated): the network
quality the customer experienced (days on cells under a PM-visible outage or degradation, 75 %
home cell, 25 % second cell), complaint tickets, bill shocks (interim bills well above the
usual one, billing.plant_bill_shocks), tenure (customer since, written to the CRM export),
segment and plan. Billing disputes keep their own planted churn effect
(tickets.plant_dispute_churn), which the automation program's ROI truth reads. The daily
hazard is logistic in those drivers; the window probability is 1 - (1 - hazard) ** window_days.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .billing import BillShock
from .customers import Customers
from .network import Impairment, impaired_fraction_by_day
from .tickets import Ticket
from .timefmt import DAY_S, Period
from .truth_customers import PM_VISIBLE_KINDS
from .windows import churn_assessment_days

LOOKBACK_DAYS = 28
BASE_LOGIT = -7.4  # daily hazard ~0.06 % for a customer with no driver
EXPOSURE_COEF = 4.0  # per day-equivalent on impaired cells, capped at EXPOSURE_CAP
EXPOSURE_CAP = 1.0
COMPLAINT_COEF = 1.0  # per complaint ticket, at most COMPLAINT_CAP counted
COMPLAINT_CAP = 3
BILL_SHOCK_COEF = 1.8  # a bill shock over the 28 days (x6 the daily hazard), at most one counted
SEGMENT_COEF = (0.0, -0.5, -1.0)  # consumer, smb, enterprise
BASIC_PLAN_COEF = 0.4  # the cheapest plan (plan index 0)
TENURE_COEF = ((180, 2.0), (365, 1.2), (3 * 365, 0.5))  # (tenure below n days, coefficient); else 0


@dataclass(frozen=True)
class ChurnAssessment:
    """One assessment day: who was active, their true probability to churn in the window."""

    day: int  # day offset of the assessment (window = [day, day + window_days))
    window_days: int
    customers: np.ndarray  # int, 0-based indexes of the customers active at the start
    p: np.ndarray  # float, true probability to churn within the window


def draw_tenure(cust: Customers, period: Period, rng: np.random.Generator) -> np.ndarray:
    """Customer-since epoch seconds (a day boundary), 0-12 years before the period start."""
    days = np.minimum(rng.exponential(3.0 * 365, cust.n), 12 * 365).astype(np.int64)
    return period.t0 - (days + 1) * DAY_S


def churn_exposure_by_day(cust: Customers, period: Period, imps: list[Impairment]) -> np.ndarray:
    """(customers, days) float: day-equivalents on cells under a PM-visible impairment (every
    kind weighs 1: a failed access or a dropped call counts whole); 75 % home, 25 % second."""
    visible = [i for i in imps if i.kind in PM_VISIBLE_KINDS]
    n_cells = int(max(cust.home_cell.max(), cust.second_cell.max())) + 1
    frac = impaired_fraction_by_day(period, n_cells, visible, degradation_weight=1.0)
    return 0.75 * frac[cust.home_cell] + 0.25 * frac[cust.second_cell]


def _counts_before(tickets: list[Ticket], n: int, lo: int, hi: int) -> np.ndarray:
    out = np.zeros(n, dtype=np.int64)
    for tk in tickets:
        if tk.customer is not None and lo <= tk.created < hi:
            out[tk.customer] += 1
    return out


def _shocks_before(shocks: list[BillShock], n: int, lo: int, hi: int) -> np.ndarray:
    out = np.zeros(n, dtype=np.int64)
    for s in shocks:
        if lo <= s.t < hi:
            out[s.customer] += 1
    return out


def hazard_logit(
    exposure: np.ndarray,
    complaints: np.ndarray,
    tenure_days: np.ndarray,
    segment: np.ndarray,
    plan: np.ndarray,
    bill_shocks: np.ndarray,
) -> np.ndarray:
    """Logit of the daily churn hazard from the drivers (arrays per customer)."""
    z = BASE_LOGIT + EXPOSURE_COEF * np.minimum(exposure, EXPOSURE_CAP)
    z = z + COMPLAINT_COEF * np.minimum(complaints, COMPLAINT_CAP)
    z = z + BILL_SHOCK_COEF * np.minimum(bill_shocks, 1)
    z = z + np.asarray(SEGMENT_COEF)[segment] + BASIC_PLAN_COEF * (plan == 0)
    tenure_effect = np.zeros(len(z))
    for limit, coef in reversed(TENURE_COEF):
        tenure_effect = np.where(tenure_days < limit, coef, tenure_effect)
    return z + tenure_effect


def plant_predictive_churn(
    cust: Customers,
    period: Period,
    imps: list[Impairment],
    tickets: list[Ticket],
    since_t: np.ndarray,
    rng: np.random.Generator,
    shocks: list[BillShock],
) -> list[ChurnAssessment]:
    """At every assessment day, draw who leaves within the window; updates cust.churn_t (the
    earliest of all planted churn times wins). Returns the assessments (with true p)."""
    exposure = churn_exposure_by_day(cust, period, imps)
    complaints = [t for t in tickets if t.ticket_type == "complaint"]
    # the hazard runs over the whole period (stationary churn): from day 0 to the first
    # assessment day, then window after window; the last window is the scoring window
    starts = [0, *(a for a in churn_assessment_days(period.days) if a > 0)]
    out = []
    for a, b in zip(starts, [*starts[1:], period.days], strict=True):
        t_a = period.day_t0(a)
        active = np.flatnonzero(cust.active_on(t_a))
        lo_day = max(0, a - LOOKBACK_DAYS)
        lo_t = period.day_t0(lo_day)
        z = hazard_logit(
            exposure[active, lo_day:a].sum(axis=1),
            _counts_before(complaints, cust.n, lo_t, t_a)[active],
            (t_a - since_t[active]) // DAY_S,
            cust.segment[active],
            cust.plan[active],
            _shocks_before(shocks, cust.n, lo_t, t_a)[active],
        )
        h = 1.0 / (1.0 + np.exp(-z))
        p = 1.0 - (1.0 - h) ** (b - a)
        leave = rng.random(len(active)) < p
        t_leave = t_a + rng.integers(0, (b - a) * DAY_S, len(active))
        for c, t in zip(active[leave], t_leave[leave], strict=True):
            if cust.churn_t[c] < 0 or t < cust.churn_t[c]:
                cust.churn_t[c] = t
        out.append(ChurnAssessment(a, b - a, active, p))
    return out


def drop_tickets_after_churn(tickets: list[Ticket], cust: Customers) -> list[Ticket]:
    """Customers who left raise no new complaint or dispute."""
    return [
        tk
        for tk in tickets
        if tk.customer is None
        or cust.churn_t[tk.customer] < 0
        or tk.created < cust.churn_t[tk.customer]
    ]
