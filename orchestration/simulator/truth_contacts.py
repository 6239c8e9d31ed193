"""Closed-loop truth (docs/kpi_definitions.md, "Closed loop: incident contacts"): which
complaints the planted faults caused, from the simulator's own ticket records (each complaint
carries the fault that made its customer complain), never via the platform's linking rule."""

from __future__ import annotations

from collections import Counter

from .customers import Customers
from .faults import Fault
from .network import Network
from .tickets import Ticket
from .timefmt import PERIOD_S, iso


def _pm_visible(fault: Fault, degraded_cells: dict[int, list[int]]) -> bool:
    """True when the fault's cell had a degraded PM period while the fault lasted: such a fault
    makes a quality incident, so its customers are on a notice list."""
    return any(fault.start - PERIOD_S < s < fault.end for s in degraded_cells.get(fault.cell, ()))


def contacts_truth(
    tickets: list[Ticket],
    net: Network,
    cust: Customers,
    degraded: list[tuple[int, int]],
    roi: dict[str, float],
) -> dict:
    """Complaints caused by planted faults: the count, by fault kind, how many fall on faults
    that make a quality incident (`avoidable`: a notice could have reached their customer), the
    value of notifying them priced like the platform's contacts-avoided lever, and every caused
    ticket (id, customer, cell, fault kind and start, whether the fault's cell is the customer's
    home cell: the others complained about their neighbour cell, which the platform sees only
    when their sampled usage shows it)."""
    degraded_cells: dict[int, list[int]] = {}
    for cell, start in degraded:
        degraded_cells.setdefault(cell, []).append(start)
    caused = [t for t in tickets if t.ticket_type == "complaint" and t.cause is not None]
    visible = {id(t.cause): _pm_visible(t.cause, degraded_cells) for t in caused}  # type: ignore[arg-type]
    avoidable = [t for t in caused if visible[id(t.cause)]]
    home = [t for t in avoidable if int(cust.home_cell[int(t.customer)]) == t.cause.cell]  # type: ignore[union-attr, arg-type]
    share, cost = roi["notice_deflection_share"], roi["cost_per_contact"]
    return {
        "complaints": sum(1 for t in tickets if t.ticket_type == "complaint"),
        "caused": len(caused),
        "caused_by_kind": dict(sorted(Counter(t.cause.kind for t in caused).items())),  # type: ignore[union-attr]
        "avoidable": len(avoidable),
        "avoidable_home_cell": len(home),
        "contacts_avoided_value": round(len(avoidable) * share * cost, 4),
        "tickets": [
            {
                "ticket_id": t.id,
                "customer_id": f"CUST-{int(t.customer) + 1:07d}",  # type: ignore[arg-type]
                "cell_id": str(net.cell_ids[t.cause.cell]),  # type: ignore[union-attr]
                "fault_kind": t.cause.kind,  # type: ignore[union-attr]
                "fault_start": iso(t.cause.start),  # type: ignore[union-attr]
                "avoidable": visible[id(t.cause)],
                # the customer's home cell is the fault's (else its neighbour served them)
                "home_cell": bool(int(cust.home_cell[int(t.customer)]) == t.cause.cell),  # type: ignore[union-attr, arg-type]
            }
            for t in sorted(caused, key=lambda t: t.id)
        ],
    }
