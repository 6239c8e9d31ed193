"""Order and ticket KPIs (docs/kpi_definitions.md, Orders and Tickets) from the simulator's own
order and ticket records."""

from __future__ import annotations

from statistics import median

from .orders import Order
from .tickets import Ticket
from .timefmt import Period

FALLOUT_STATES = ("held", "failed")


def r4(x: float | None) -> float | None:
    return None if x is None else round(x, 4)


def median_hours(seconds: list[int]) -> float | None:
    return r4(median(seconds) / 3600.0) if seconds else None


def is_fallout(o: Order) -> bool:
    """Ever reached held or failed (every state the order reached inside the data)."""
    return any(st in FALLOUT_STATES for st, _ in o.states)


def order_kpis(orders: list[Order], period: Period) -> dict:
    inside = range(period.t0, period.t1)
    done = [o for o in orders if o.completion is not None and o.completion in inside]
    n = len(done)
    on_time = sum(1 for o in done if o.completion <= o.requested)  # type: ignore[operator]
    created = [o for o in orders if o.created in inside]
    cycle = [o.completion - o.created for o in done if o.completion >= o.created]  # type: ignore[operator]
    return {
        "orders_completed": n,
        "order_throughput_per_day": round(n / period.days, 4),
        "on_time_delivery_pct": r4(100.0 * on_time / n) if n else None,
        "order_fallout_pct": r4(100.0 * sum(map(is_fallout, created)) / len(created))
        if created
        else None,
        "order_cycle_time_median_hours": median_hours(cycle),
    }


def ticket_kpis(tickets: list[Ticket], period: Period) -> dict:
    resolved = [
        t
        for t in tickets
        if t.status in ("resolved", "closed")
        and t.resolved is not None
        and period.t0 <= t.resolved < period.t1
    ]
    return {
        "tickets_resolved": len(resolved),
        "mttr_median_hours": median_hours(
            [t.resolved - t.created for t in resolved if t.resolved >= t.created]  # type: ignore[operator]
        ),
    }
