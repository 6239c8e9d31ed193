"""ROI of automation (docs/kpi_definitions.md, ROI of automation).

`roi_kpi` applies the documented counterfactual (baseline rate x the month's after-case volume)
to the simulator's own records: what the platform must compute exactly. `planted_benefit` is the
benefit implied by the planted effect sizes (performer probabilities, fallout, truck-roll and
dispute-churn probabilities) for the same after-cases: what the estimate must come within 10% of.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta

import numpy as np

from .automation import AFTER, BEFORE, ProcessEvent
from .customers import Customers
from .orders import P_CANCEL, P_FALLOUT, P_REJECT, Order
from .tickets import (
    DISPUTE_CHURN_DELAY_S,
    P_DISPUTE_CHURN,
    P_DISPUTE_FALLOUT,
    P_INCIDENT_FALLOUT,
    Ticket,
)
from .timefmt import DAY_S, Period
from .truth_autonomy import month_of
from .truth_operations import is_fallout, r4

LEVERS = ("labour", "fallout", "truck_rolls", "churn", "leakage")
TRUCK_ROLL_ACTIVITY = "Dispatch field technician"
# the task a fallout case adds, always done by a person, per workflow
FALLOUT_TASK = {
    "order_fulfilment": "Handle fallout",
    "fault_management": TRUCK_ROLL_ACTIVITY,
    "billing_dispute": "Escalate to back office",
}


def task_minutes(rtype: str, roi: dict[str, float]) -> float:
    return {
        "human": roi["minutes_per_human_task"],
        "human+system": roi["minutes_per_assisted_task"],
    }.get(rtype, 0.0)


def _cases(events: list[ProcessEvent], wf: str) -> dict[str, list[ProcessEvent]]:
    out: dict[str, list[ProcessEvent]] = defaultdict(list)
    for e in events:
        if e[1] == wf:
            out[e[0]].append(e)
    return out


def _lever(cases: list[tuple[int, float]], go_live_t: int, period: Period) -> dict[str, float]:
    """cases: (start, outcome). Benefit units (before money) per month of the after-cases."""
    base = [y for t, y in cases if t < go_live_t]
    if not base:
        return {}
    rate = sum(base) / len(base)
    n: dict[str, int] = defaultdict(int)
    actual: dict[str, float] = defaultdict(float)
    for t, y in cases:
        if t >= go_live_t and period.t0 <= t < period.t1:
            n[month_of(t)] += 1
            actual[month_of(t)] += y
    return {m: rate * n[m] - actual[m] for m in n}


def period_months(period: Period) -> list[str]:
    return sorted(
        {(period.start + timedelta(days=d)).strftime("%Y-%m") for d in range(period.days)}
    )


def lever_benefits(
    events: list[ProcessEvent],
    orders: list[Order],
    tickets: list[Ticket],
    cust: Customers,
    go_live: dict[str, int],
    roi: dict[str, float],
    leakage_by_month: dict[str, float],
    period: Period,
) -> dict[str, dict[str, float]]:
    """{lever: {month: benefit in money}} by the documented counterfactual."""
    out: dict[str, dict[str, float]] = {lv: defaultdict(float) for lv in LEVERS}
    for wf in ("fault_management", "order_fulfilment", "billing_dispute"):
        cases = _cases(events, wf)
        labour = [
            (min(e[3] for e in evs), sum(task_minutes(e[5], roi) for e in evs) / 60.0)
            for evs in cases.values()
        ]
        for m, v in _lever(labour, go_live[wf], period).items():
            out["labour"][m] += v * roi["loaded_labour_rate_per_hour"]
        if wf == "fault_management":
            rolls = [
                (min(e[3] for e in evs), float(any(e[2] == TRUCK_ROLL_ACTIVITY for e in evs)))
                for evs in cases.values()
            ]
            for m, v in _lever(rolls, go_live[wf], period).items():
                out["truck_rolls"][m] += v * roi["truck_roll_cost"]
    fallout = [(o.created, float(is_fallout(o))) for o in orders]
    for m, v in _lever(fallout, go_live["order_fulfilment"], period).items():
        out["fallout"][m] += v * roi["cost_per_fallout"]
    window = int(roi["dispute_churn_window_days"] * DAY_S)
    churn = [
        (t.created, float(t.created <= cust.churn_t[t.customer] < t.created + window))
        for t in tickets
        if t.ticket_type == "billingDispute" and t.created <= period.t1 - window
    ]
    for m, v in _lever(churn, go_live["billing_dispute"], period).items():
        out["churn"][m] += v * roi["customer_value"]
    for m, v in leakage_by_month.items():
        out["leakage"][m] += v * roi["leakage_recovery_share"]
    return {lv: dict(v) for lv, v in out.items()}


def roi_summary(benefit_by_month: dict[str, float], roi: dict[str, float], period: Period) -> dict:
    """{"benefit", "cost", "roi_pct", "payback_month"} over the period's months."""
    months = period_months(period)
    cum_b = cum_c = 0.0
    payback = None
    for i, m in enumerate(months):
        cum_b += benefit_by_month.get(m, 0.0)
        cum_c += roi["program_cost_per_month"] + (roi["program_cost_one_off"] if i == 0 else 0.0)
        if payback is None and cum_b >= cum_c:
            payback = m
    return {
        "benefit": round(cum_b, 4),
        "cost": round(cum_c, 4),
        "roi_pct": r4(100.0 * (cum_b - cum_c) / cum_c) if cum_c else None,
        "payback_month": payback,
    }


def _expected_minutes(probs: tuple[float, float, float], roi: dict[str, float]) -> float:
    return probs[0] * roi["minutes_per_human_task"] + probs[1] * roi["minutes_per_assisted_task"]


def planted_benefit(
    events: list[ProcessEvent],
    orders: list[Order],
    tickets: list[Ticket],
    go_live: dict[str, int],
    roi: dict[str, float],
    leakage_by_month: dict[str, float],
    period: Period,
) -> dict:
    """The benefit the planted effect sizes imply for the after-cases that really ran automated:
    per case, expected outcome before automation minus expected outcome after."""
    automated = {o.id: o.automated for o in orders} | {t.id: t.automated for t in tickets}
    fallout_p = {
        "order_fulfilment": (1 - P_REJECT) * (1 - P_CANCEL) * (P_FALLOUT[False] - P_FALLOUT[True]),
        "fault_management": P_INCIDENT_FALLOUT[False] - P_INCIDENT_FALLOUT[True],
        "billing_dispute": P_DISPUTE_FALLOUT[False] - P_DISPUTE_FALLOUT[True],
    }
    order_delta = {
        o.id: (1 - P_REJECT) * (1 - P_CANCEL) * (o.p_fallout[False] - o.p_fallout[True])
        for o in orders
        if o.p_fallout
    }
    delta_min = {
        c: _expected_minutes(BEFORE[c], roi) - _expected_minutes(AFTER[c], roi) for c in BEFORE
    }
    lever = dict.fromkeys(LEVERS, 0.0)
    for wf in ("fault_management", "order_fulfilment", "billing_dispute"):
        for case, evs in _cases(events, wf).items():
            start = min(e[3] for e in evs)
            if start < go_live[wf] or not automated.get(case, False):
                continue
            minutes = sum(delta_min[e[6]] for e in evs if e[2] != FALLOUT_TASK[wf])
            minutes += order_delta.get(case, fallout_p[wf]) * roi["minutes_per_human_task"]
            lever["labour"] += minutes / 60.0 * roi["loaded_labour_rate_per_hour"]
            if wf == "fault_management":
                lever["truck_rolls"] += fallout_p[wf] * roi["truck_roll_cost"]
    after_orders = [o for o in orders if o.created >= go_live["order_fulfilment"] and o.automated]
    # per order: its own fallout probability without automation minus with it
    lever["fallout"] = sum(order_delta[o.id] for o in after_orders) * roi["cost_per_fallout"]
    window = int(roi["dispute_churn_window_days"] * DAY_S)
    lo, hi = DISPUTE_CHURN_DELAY_S
    inside = float(np.clip((window - lo) / (hi - lo), 0.0, 1.0))
    eligible = [
        t
        for t in tickets
        if t.ticket_type == "billingDispute"
        and t.automated
        and go_live["billing_dispute"] <= t.created <= period.t1 - window
    ]
    lever["churn"] = (
        len(eligible)
        * (P_DISPUTE_CHURN[False] - P_DISPUTE_CHURN[True])
        * inside
        * roi["customer_value"]
    )
    lever["leakage"] = sum(leakage_by_month.values()) * roi["leakage_recovery_share"]
    return {
        "benefit": round(sum(lever.values()), 4),
        "by_lever": {k: round(v, 4) for k, v in lever.items()},
    }
