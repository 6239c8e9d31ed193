"""Predictive truth (truth.json["predictive"]): each order's true fallout probability and
outcome, each customer's true churn probability in the scoring window and outcome, every
planted anomaly, the scoring window, and the oracle AUC (the true probabilities' AUC against
the outcomes in the scoring window). Computed from the simulator's own records only.
"""

from __future__ import annotations

import numpy as np

from .billing import TAX, BillShock
from .churn_risk import ChurnAssessment
from .customers import Customers
from .network import Impairment, Network
from .orders import P_CANCEL, P_REJECT, Order
from .timefmt import Period, iso
from .windows import scoring_start_day


def auc(scores: np.ndarray, outcomes: np.ndarray) -> float | None:
    """Area under the ROC curve (Mann-Whitney, ties count half); None without both classes."""
    scores = np.asarray(scores, dtype=float)
    y = np.asarray(outcomes, dtype=bool)
    pos, neg = int(y.sum()), int((~y).sum())
    if not pos or not neg:
        return None
    order = np.argsort(scores, kind="mergesort")
    ranks = np.empty(len(scores))
    sorted_scores = scores[order]
    i = 0
    while i < len(scores):  # average ranks over ties
        j = i
        while j + 1 < len(scores) and sorted_scores[j + 1] == sorted_scores[i]:
            j += 1
        ranks[order[i : j + 1]] = (i + j) / 2.0 + 1.0
        i = j + 1
    return float((ranks[y].sum() - pos * (pos + 1) / 2.0) / (pos * neg))


def order_probability(o: Order) -> float:
    """P(the order falls out): not rejected, not cancelled, then its own fallout probability."""
    return (1 - P_REJECT) * (1 - P_CANCEL) * o.p_fallout[o.automated]


def predictive_truth(
    period: Period,
    orders: list[Order],
    cust: Customers,
    assessment: ChurnAssessment,
    imps: list[Impairment],
    net: Network,
    shocks: list[tuple[BillShock, str]],
) -> dict:
    """The `predictive` section of truth.json (`assessment` is the one at the scoring start;
    `shocks`: every planted bill shock with its interim bill's id)."""
    s_t = period.day_t0(scoring_start_day(period.days))
    order_rows = {
        o.id: {"p": round(order_probability(o), 6), "fell_out": o.fallout} for o in orders
    }
    scored = [o for o in orders if o.created >= s_t]
    churned = (cust.churn_t >= s_t) & (cust.churn_t < period.t1)
    customers = {
        f"CUST-{int(c) + 1:07d}": {"p": round(float(p), 6), "churned": bool(churned[c])}
        for c, p in zip(assessment.customers, assessment.p, strict=True)
    }
    fallout_auc = auc(
        np.array([order_probability(o) for o in scored]), np.array([o.fallout for o in scored])
    )
    churn_auc = auc(assessment.p, churned[assessment.customers])
    anomalies = [
        {
            "cell_id": str(net.cell_ids[i.cell]),
            "start_utc": iso(i.start),
            "end_utc": iso(i.end),
            "kind": i.kind,
        }
        for i in sorted(imps, key=lambda x: (x.start, x.cell))
    ]
    return {
        "scoring_window": {"from": iso(s_t), "to": iso(period.t1)},
        "oracle_auc": {
            "fallout": round(fallout_auc, 4) if fallout_auc is not None else None,
            "churn": round(churn_auc, 4) if churn_auc is not None else None,
        },
        "orders": order_rows,
        "customers": customers,
        "anomalies": anomalies,
        "bill_shocks": [
            {
                "customer_id": f"CUST-{s.customer + 1:07d}",
                "bill_id": bill_id,
                "bill_date": iso(s.t)[:10],
                "amount_due": round(round(s.excl_cents * (1 + TAX)) / 100, 2),
            }
            for s, bill_id in shocks
        ],
    }
