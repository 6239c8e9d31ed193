"""Ground truth from the simulator's own in-memory records (never via parsers or SQL).

`truth.json["kpis"]` carries every key of the KPI contract, as docs/kpi_definitions.md defines
them (computed in truth_operations, truth_autonomy, truth_customers, truth_incidents, truth_roi);
`truth.json["planted"]` the effects the simulator planted.
"""

from __future__ import annotations

from statistics import median

import numpy as np

from .automation import ProcessEvent
from .customers import Customers
from .faults import Fault
from .network import Impairment, Network
from .orders import Order
from .profiles import Profile
from .reference import Reference
from .surveys import Survey
from .tickets import Ticket
from .timefmt import Period, iso
from .truth_autonomy import autonomy
from .truth_contacts import contacts_truth
from .truth_customers import churn_rate_pct, churn_uplift, leakage, nps
from .truth_incidents import incidents, outages_detected
from .truth_operations import order_kpis, ticket_kpis
from .truth_roi import lever_benefits, planted_benefit, roi_summary


def _rate(flags: list[bool]) -> float | None:
    return round(sum(flags) / len(flags), 4) if flags else None


def _median_h(xs: list[int]) -> float | None:
    return round(median(xs) / 3600.0, 4) if xs else None


def _effect(
    cases: list[tuple[str, bool, bool, int | None]], events: list[ProcessEvent], go_live_t: int
) -> dict:
    """cases: (case_id, after_go_live, fallout, cycle time s or None)."""
    after_of = {c[0]: c[1] for c in cases}
    out: dict = {"go_live": iso(go_live_t)}
    for label, flag in (("before", False), ("after", True)):
        sel = [c for c in cases if c[1] is flag]
        ev = [e for e in events if after_of.get(e[0]) is flag]
        out[f"cases_{label}"] = len(sel)
        out[f"fallout_rate_{label}"] = _rate([c[2] for c in sel])
        out[f"median_cycle_time_hours_{label}"] = _median_h([c[3] for c in sel if c[3] is not None])
        out[f"system_task_share_{label}"] = _rate([e[5] == "system" for e in ev])
    return out


def automation_truth(
    orders: list[Order], tickets: list[Ticket], events: list[ProcessEvent], go_live: dict[str, int]
) -> dict:
    """True effect sizes per workflow; cases are split by their automated flag (created on or
    after go-live; for incidents: fault started on or after go-live)."""
    by_wf: dict[str, list[ProcessEvent]] = {w: [] for w in go_live}
    for e in events:
        by_wf[e[1]].append(e)
    order_cases = [
        (
            o.id,
            o.automated,
            o.fallout,
            (o.completion - o.created) if o.completion is not None else None,
        )
        for o in orders
    ]

    def ticket_cases(tt: str) -> list[tuple[str, bool, bool, int | None]]:
        return [
            (
                t.id,
                t.automated,
                any(s == "pending" for s, _ in t.statuses),
                (t.resolved - t.created) if t.resolved is not None else None,
            )
            for t in tickets
            if t.ticket_type == tt
        ]

    return {
        "order_fulfilment": _effect(
            order_cases, by_wf["order_fulfilment"], go_live["order_fulfilment"]
        ),
        "fault_management": _effect(
            ticket_cases("networkIncident"), by_wf["fault_management"], go_live["fault_management"]
        ),
        "billing_dispute": _effect(
            ticket_cases("billingDispute"), by_wf["billing_dispute"], go_live["billing_dispute"]
        ),
    }


def impairment_truth(imps: list[Impairment], net: Network, cust: Customers) -> tuple[list, list]:
    outages, degradations = [], []
    for imp in imps:
        served = (cust.home_cell == imp.cell) | (cust.second_cell == imp.cell)
        affected = int((served & cust.active_on(imp.start)).sum())
        rec = {
            "cell_id": str(net.cell_ids[imp.cell]),
            "ne_id": str(net.ne_ids[imp.cell]),
            "start": iso(imp.start),
            "end": iso(imp.end),
            "customers_affected": affected,
        }
        if imp.kind == "outage":
            outages.append(rec)
        else:
            degradations.append({**rec, "kind": imp.kind})
    return outages, degradations


def build_truth(
    profile: Profile,
    seed: int,
    period: Period,
    orders: list[Order],
    tickets: list[Ticket],
    events: list[ProcessEvent],
    imps: list[Impairment],
    net: Network,
    cust: Customers,
    unbilled: np.ndarray,
    surveys: list[Survey],
    go_live: dict[str, int],
    faults: list[Fault],
    degraded: list[tuple[int, int]],
    unbilled_usage_days: dict[int, set[int]],
    ref: Reference,
) -> dict:
    outages, degradations = impairment_truth(imps, net, cust)
    exposed = cust.exposure.sum(axis=1) > 0
    churned = cust.churn_t >= 0
    nps_x = [s.nps for s in surveys if s.exposed]
    nps_u = [s.nps for s in surveys if not s.exposed]
    leak = leakage(cust, unbilled, unbilled_usage_days, period)
    found = incidents(faults, degraded, period)
    levers = lever_benefits(
        events, orders, tickets, cust, go_live, ref.roi, leak["by_month"], period
    )
    by_month: dict[str, float] = {}
    for per_month in levers.values():
        for m, v in per_month.items():
            by_month[m] = by_month.get(m, 0.0) + v
    kpis = {
        **order_kpis(orders, period),
        **ticket_kpis(tickets, period),
        "autonomy": autonomy(events, period, ref.weights),
        "revenue_leakage_services": leak["services"],
        "revenue_leakage_amount": leak["amount"],
        "nps": nps(surveys),
        "churn_rate_pct": churn_rate_pct(cust, period),
        "roi": roi_summary(by_month, ref.roi, period),
        "incidents_detected": sum(1 for _c, a, _b in found if period.t0 <= a < period.t1),
    }
    return {
        "profile": profile.name,
        "seed": seed,
        "period": {"start": iso(period.t0), "end": iso(period.t1), "days": period.days},
        "kpis": kpis,
        "planted": {
            "outages": outages,
            "outages_detected": outages_detected(imps, found, net),
            "degradations": degradations,
            "unbilled_products": {
                "count": int(len(unbilled)),
                "product_ids": [f"PRD-{int(c) + 1:07d}" for c in unbilled],
            },
            "automation": automation_truth(orders, tickets, events, go_live),
            "roi": {
                **planted_benefit(
                    events, orders, tickets, go_live, ref.roi, leak["by_month"], period
                ),
                "estimate_by_lever": {lv: round(sum(v.values()), 4) for lv, v in levers.items()},
            },
            "churn": {
                "customers_exposed": int(exposed.sum()),
                "churn_rate_exposed": round(float(churned[exposed].mean()), 4)
                if exposed.any()
                else None,
                "churn_rate_unexposed": round(float(churned[~exposed].mean()), 4),
                "uplift": churn_uplift(cust, imps, period),
            },
            "contacts": contacts_truth(tickets, net, cust, degraded, ref.roi),
            "surveys": {
                "responses": len(surveys),
                "nps_mean_exposed": round(float(np.mean(nps_x)), 4) if nps_x else None,
                "nps_mean_unexposed": round(float(np.mean(nps_u)), 4) if nps_u else None,
            },
            "usage_sampling": "per day: a random share of subscribers "
            f"({profile.usage_fraction}), plus every subscriber whose home "
            "cell was impaired that day, plus unbilled products every 4th day",
        },
    }
