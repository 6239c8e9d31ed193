"""TMF622 product orders and their provisioning steps as state changes.

Grain: one order with one item. States: acknowledged -> inProgress -> [held] -> completed |
failed | cancelled | rejected. Times are epoch seconds; anything after the period end has not
happened yet, so such orders stay open in their last state reached.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .automation import ProcessEvent, TaskAssigner
from .customers import PLANS, Customers
from .network import Network
from .order_risk import OrderDrivers, draw_drivers, fallout_probability
from .profiles import Profile
from .timefmt import DAY_S, Period

CHANNELS = (
    ("CH-01", "Online"),
    ("CH-02", "Retail store"),
    ("CH-03", "Call centre"),
    ("CH-04", "Partner"),
)
ACTIONS = ("add", "modify", "delete")
SLA_H = {"add": 120, "modify": 48, "delete": 72}  # promised delivery, hours after creation
# planted effect sizes (read by the truth): P(reject), P(cancel), the mean P(fallout | not
# rejected or cancelled) before / after the order_fulfilment go-live (each order's own
# probability moves around it with its drivers: order_risk)
P_REJECT = 0.03
P_CANCEL = 0.03
P_FALLOUT = {False: 0.20, True: 0.06}
ADDONS = (
    ("PO-ADD-ROAM", "Roaming Pass"),
    ("PO-ADD-DATA", "Extra Data 20GB"),
    ("PO-ADD-TV", "Mobile TV"),
)


@dataclass
class Order:
    id: str
    customer: int  # 0-based customer index
    channel: int
    action: str
    offering: tuple[str, str]
    product_id: str
    created: int
    requested: int
    automated: bool  # created after the order_fulfilment go-live
    drivers: OrderDrivers | None = None
    # P(fallout | not rejected or cancelled) of this order without / with automation
    p_fallout: dict[bool, float] = field(default_factory=dict)
    states: list[tuple[str, int]] = field(default_factory=list)  # reached inside the period
    fallout: bool = False  # held or failed (left the automated flow), inside the period

    @property
    def state(self) -> str:
        return self.states[-1][0]

    @property
    def completion(self) -> int | None:
        return self.states[-1][1] if self.state == "completed" else None


def _lognormal_h(rng: np.random.Generator, median_h: float, sigma: float) -> int:
    return int(rng.lognormal(np.log(median_h), sigma) * 3600)


def simulate_orders(
    profile: Profile,
    period: Period,
    cust: Customers,
    go_live_t: int,
    rng: np.random.Generator,
    tasks: TaskAssigner,
    net: Network,
    driver_rng: np.random.Generator,
) -> tuple[list[Order], list[ProcessEvent]]:
    """Create orders day by day and walk each through its provisioning flow; each order's
    fallout probability follows its drivers (order_risk), drawn from `driver_rng`."""
    orders: list[Order] = []
    events: list[ProcessEvent] = []
    next_product = cust.n + 1
    for d in range(period.days):
        day_t0 = period.day_t0(d)
        weekend = period.day(d).weekday() >= 5
        k = int(rng.poisson(profile.orders_per_day * (0.6 if weekend else 1.1)))
        # shop hours: most orders between 08:00 and 21:00 local (= UTC here)
        secs = np.sort(rng.integers(8 * 3600, 21 * 3600, k) + rng.integers(-3600, 3600, k))
        active = np.flatnonzero(cust.active_on(day_t0 + DAY_S))
        for s in secs:
            c = int(rng.choice(active))
            action = ACTIONS[int(rng.choice(3, p=[0.45, 0.40, 0.15]))]
            if action == "add":
                offering = ADDONS[int(rng.integers(0, len(ADDONS)))]
                pid = f"PRD-{next_product:07d}"
                next_product += 1
            elif action == "modify":
                p = PLANS[int(rng.integers(0, len(PLANS)))]
                offering = (f"PO-PLAN-{PLANS.index(p) + 1}", p[0])
                pid = f"PRD-{c + 1:07d}"
            else:
                offering = ADDONS[int(rng.integers(0, len(ADDONS)))]
                pid = f"PRD-{c + 1:07d}"
            created = day_t0 + int(s)
            requested = min(created + SLA_H[action] * 3600, period.t1 - 1)
            o = Order(
                f"PO-{len(orders) + 1:07d}",
                c,
                int(rng.integers(0, 4)),
                action,
                offering,
                pid,
                created,
                requested,
                created >= go_live_t,
            )
            home = int(cust.home_cell[c])
            o.drivers = draw_drivers(
                action, str(net.tech[home]), float(net.load[home]), int(cust.segment[c]), driver_rng
            )
            o.p_fallout = {
                a: fallout_probability(P_FALLOUT[a], a, o.channel, action, offering[0], o.drivers)
                for a in (False, True)
            }
            _walk(o, rng)
            o.states = [(st, t) for st, t in o.states if t < period.t1]
            o.fallout = any(st in ("held", "failed") for st, _ in o.states)
            events += _process_events(o, tasks)
            orders.append(o)
    return orders, [e for e in events if e[3] < period.t1]


def _walk(o: Order, rng: np.random.Generator) -> None:
    """The order's full state path (times may run past the period end; trimmed by the caller)."""
    auto = o.automated
    t = o.created + int(rng.integers(30, 900))
    o.states.append(("acknowledged", t))
    if rng.random() < P_REJECT:  # validation rejects it (bad address, credit check)
        o.states.append(("rejected", t + int(rng.integers(300, 7200))))
        return
    t += _lognormal_h(rng, 0.1 if auto else 3.0, 0.5)
    o.states.append(("inProgress", t))
    if rng.random() < P_CANCEL:
        o.states.append(("cancelled", t + int(rng.integers(3600, 86_400))))
        return
    if rng.random() < o.p_fallout[auto]:  # fallout: manual handling needed
        t += _lognormal_h(rng, 2.0 if auto else 8.0, 0.6)
        o.states.append(("held", t))
        if rng.random() < 0.25:
            o.states.append(("failed", t + _lognormal_h(rng, 24.0, 0.5)))
            return
        o.states.append(("completed", t + _lognormal_h(rng, 30.0, 0.6)))
        return
    o.states.append(("completed", t + _lognormal_h(rng, 5.0 if auto else 30.0, 0.6)))


def _process_events(o: Order, tasks: TaskAssigner) -> list[ProcessEvent]:
    wf, a = "order_fulfilment", o.automated
    ev = [tasks.event(o.id, wf, "Capture order", o.created, "intent", a)]
    for st, t in o.states:
        if st == "acknowledged":
            ev.append(tasks.event(o.id, wf, "Validate order", t, "analysis", a))
        elif st == "inProgress":
            ev.append(tasks.event(o.id, wf, "Decide fulfilment plan", t, "decision", a))
            ev.append(tasks.event(o.id, wf, "Provision service", t + 60, "execution", a))
            ev.append(tasks.event(o.id, wf, "Monitor provisioning", t + 600, "awareness", a))
        elif st == "held":
            # fallout is handled by people, whatever the automation level
            ev.append(tasks.event(o.id, wf, "Handle fallout", t, "execution", a, force="human"))
        elif st == "completed":
            ev.append(tasks.event(o.id, wf, "Complete order", t, "execution", a))
        else:
            ev.append(tasks.event(o.id, wf, f"Close order ({st})", t, "execution", a))
    return ev
