"""TMF621 trouble tickets: network incidents (one per fault), complaints from affected
customers, and billing disputes. Times are epoch seconds; a ticket holds only the status changes
that happened inside the period.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .automation import ProcessEvent, TaskAssigner
from .customers import Customers
from .faults import Fault
from .profiles import Profile
from .timefmt import DAY_S, Period

# planted effect sizes (read by the truth), keyed by "automated" (after the workflow's go-live)
P_INCIDENT_FALLOUT = {False: 0.35, True: 0.12}  # field dispatch needed (truck roll)
P_DISPUTE_FALLOUT = {False: 0.25, True: 0.08}  # escalated to the back office
P_DISPUTE_CHURN = {False: 0.25, True: 0.05}  # the disputing customer leaves over it
DISPUTE_CHURN_DELAY_S = (3600, 5 * DAY_S)  # uniform delay after the dispute is raised


@dataclass
class Ticket:
    ticket_type: str  # complaint | networkIncident | billingDispute
    created: int
    severity: str
    priority: str
    cell: int | None
    customer: int | None
    automated: bool
    statuses: list[tuple[str, int]] = field(default_factory=list)
    fallout: bool = False  # escalated to manual handling (field dispatch / back office)
    id: str = ""
    # the planted fault whose impairment made the customer complain (None: background complaint)
    cause: Fault | None = None

    @property
    def status(self) -> str:
        return self.statuses[-1][0]

    @property
    def resolved(self) -> int | None:
        return next((t for s, t in self.statuses if s == "resolved"), None)


def _h(rng: np.random.Generator, median_h: float, sigma: float = 0.6) -> int:
    return int(rng.lognormal(np.log(median_h), sigma) * 3600)


def _finish(tk: Ticket, resolved: int, period: Period, pending_at: int | None) -> None:
    st = [("acknowledged", tk.created), ("inProgress", tk.created + 120 + (tk.created % 600))]
    if pending_at is not None:
        st.append(("pending", pending_at))
    st += [("resolved", resolved), ("closed", resolved + DAY_S)]
    tk.statuses = [(s, t) for s, t in st if t < period.t1]


def incident_tickets(
    faults: list[Fault], period: Period, go_live_t: int, rng: np.random.Generator
) -> list[Ticket]:
    """One networkIncident per fault: detected after the alarm; faster after go-live."""
    out = []
    for f in faults:
        auto = f.start >= go_live_t
        created = f.raised + (int(rng.integers(60, 300)) if auto else int(rng.integers(900, 2700)))
        if created >= period.t1:
            continue
        crit = f.kind == "outage"
        tk = Ticket(
            "networkIncident",
            created,
            "Critical" if crit else "Major",
            "High" if crit or f.planted else "Medium",
            f.cell,
            None,
            auto,
        )
        tk.fallout = bool(rng.random() < P_INCIDENT_FALLOUT[auto])
        pending = created + 1800 if tk.fallout else None
        resolved = max(f.end, created + 600) + (
            int(rng.integers(300, 900)) if auto else int(rng.integers(1200, 5400))
        )
        _finish(tk, resolved, period, pending)
        out.append(tk)
    return out


def complaint_tickets(
    profile: Profile, period: Period, cust: Customers, faults: list[Fault], rng: np.random.Generator
) -> list[Ticket]:
    """Complaints: from customers exposed to planted impairments, plus a small background."""
    out = []
    total = cust.exposure.sum(axis=1)
    exposed = np.flatnonzero(total > 0)
    p = np.minimum(0.7, 0.05 + 3.0 * total[exposed])
    complain = exposed[rng.random(len(exposed)) < p]
    planted = {f.cell: f for f in faults if f.planted}
    for c in complain:
        cell = (
            int(cust.home_cell[c])
            if int(cust.home_cell[c]) in planted
            else int(cust.second_cell[c])
        )
        f = planted[cell]
        created = f.start + int(rng.integers(1800, DAY_S))
        if created >= period.t1 or (cust.churn_t[c] >= 0 and created >= cust.churn_t[c]):
            continue
        tk = Ticket("complaint", created, "Minor", "Medium", cell, int(c), False, cause=f)
        _finish(tk, created + _h(rng, 20.0), period, None)
        out.append(tk)
    k = int(rng.poisson(cust.n * 0.0002 * period.days))
    for c, s in zip(
        rng.integers(0, cust.n, k), rng.integers(0, period.days * DAY_S, k), strict=True
    ):
        created = period.t0 + int(s)
        if cust.churn_t[c] >= 0 and created >= cust.churn_t[c]:
            continue
        tk = Ticket("complaint", created, "Minor", "Low", int(cust.home_cell[c]), int(c), False)
        _finish(tk, created + _h(rng, 30.0), period, None)
        out.append(tk)
    return out


def dispute_tickets(
    profile: Profile, period: Period, cust: Customers, go_live_t: int, rng: np.random.Generator
) -> list[Ticket]:
    """Billing disputes; resolved faster and escalated less after the go-live."""
    out = []
    k = int(rng.poisson(profile.disputes_per_day * period.days))
    for c, s in zip(
        rng.integers(0, cust.n, k), rng.integers(0, period.days * DAY_S, k), strict=True
    ):
        created = period.t0 + int(s)
        if cust.churn_t[c] >= 0 and created >= cust.churn_t[c]:
            continue
        auto = created >= go_live_t
        tk = Ticket("billingDispute", created, "Minor", "Medium", None, int(c), auto)
        tk.fallout = bool(rng.random() < P_DISPUTE_FALLOUT[auto])
        pending = created + 3600 if tk.fallout else None
        _finish(
            tk,
            created + _h(rng, 16.0 if auto else 70.0) + (2 * DAY_S if tk.fallout else 0),
            period,
            pending,
        )
        out.append(tk)
    return out


def plant_dispute_churn(
    disputes: list[Ticket], cust: Customers, period: Period, rng: np.random.Generator
) -> None:
    """Some disputing customers leave a few days after raising the dispute: many before the
    billing_dispute go-live (slow, manual handling), few after. Updates cust.churn_t."""
    lo, hi = DISPUTE_CHURN_DELAY_S
    for tk in sorted(disputes, key=lambda t: (t.created, t.customer)):
        c = int(tk.customer)  # type: ignore[arg-type]
        leave = rng.random() < P_DISPUTE_CHURN[tk.automated]
        t = tk.created + int(rng.integers(lo, hi))
        if leave and t < period.t1 and (cust.churn_t[c] < 0 or cust.churn_t[c] > t):
            cust.churn_t[c] = t


def assign_ids(tickets: list[Ticket]) -> list[Ticket]:
    tickets.sort(key=lambda t: (t.created, t.ticket_type, t.cell or -1, t.customer or -1))
    for i, t in enumerate(tickets):
        t.id = f"TT-{i + 1:07d}"
    return tickets


# activity, category, at: offset into the case ("start", "pending", "resolved")
_STEPS = {
    "fault_management": (
        ("Detect fault", "awareness", "start"),
        ("Diagnose root cause", "analysis", "progress"),
        ("Decide remediation", "decision", "progress"),
        ("Dispatch field technician", "execution", "pending"),
        ("Restore service", "execution", "resolved"),
        ("Verify service restored", "awareness", "resolved"),
        ("Confirm assurance policy", "intent", "closed"),
    ),
    "billing_dispute": (
        ("Register dispute", "intent", "start"),
        ("Analyse bill", "analysis", "progress"),
        ("Escalate to back office", "execution", "pending"),
        ("Decide credit", "decision", "resolved"),
        ("Apply credit", "execution", "resolved"),
        ("Notify customer", "awareness", "resolved"),
    ),
}


def ticket_process_events(
    tickets: list[Ticket], tasks: TaskAssigner, period: Period
) -> list[ProcessEvent]:
    """Process-log events of incidents (fault_management) and disputes (billing_dispute)."""
    out: list[ProcessEvent] = []
    for tk in tickets:
        wf = {"networkIncident": "fault_management", "billingDispute": "billing_dispute"}.get(
            tk.ticket_type
        )
        if wf is None:
            continue
        at = {"start": tk.created}
        for s, t in tk.statuses:
            at[{"inProgress": "progress"}.get(s, s)] = t
        for j, (activity, cat, when) in enumerate(_STEPS[wf]):
            if when not in at:
                continue
            t = at[when] + j  # one second apart keeps the order of same-time steps
            force = "human" if when == "pending" else None
            if t < period.t1:
                out.append(tasks.event(tk.id, wf, activity, t, cat, tk.automated, force))
    return out
