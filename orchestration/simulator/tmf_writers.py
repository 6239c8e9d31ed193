"""TMF622 orders and state-change events, TMF621 tickets: record-by-record JSON (volumes are
small enough: tens of thousands per period even for the large profile)."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path

from .jsonio import write_json_array
from .network import Network
from .orders import CHANNELS, Order
from .tickets import Ticket
from .timefmt import iso


def _customer_ref(c: int) -> dict:
    return {
        "role": "Customer",
        "partyOrPartyRole": {"id": f"CUST-{c + 1:07d}", "@referredType": "Customer"},
    }


def _product(o: Order) -> dict:
    """The ordered product, with the drivers known at order time as characteristics."""
    product: dict = {"id": o.product_id}
    if o.drivers is not None:
        product["productCharacteristic"] = [
            {"name": "installType", "valueType": "string", "value": o.drivers.install_type},
            {"name": "addressStatus", "valueType": "string", "value": o.drivers.address_status},
        ]
    return product


def order_resource(o: Order, segment: str) -> dict:
    ch_id, ch_name = CHANNELS[o.channel]
    rec: dict = {
        "id": o.id,
        "@type": "ProductOrder",
        "category": "B2C product order" if segment == "consumer" else "B2B product order",
        "creationDate": iso(o.created),
        "requestedCompletionDate": iso(o.requested),
    }
    if o.completion is not None:
        rec["completionDate"] = iso(o.completion)
    rec.update(
        {
            "state": o.state,
            "priority": "2" if segment == "enterprise" else "4",
            "channel": [{"role": "salesChannel", "channel": {"id": ch_id, "name": ch_name}}],
            "relatedParty": [_customer_ref(o.customer)],
            "productOrderItem": [
                {
                    "id": "1",
                    "quantity": 1,
                    "action": o.action,
                    "productOffering": {"id": o.offering[0], "name": o.offering[1]},
                    "product": _product(o),
                    "state": o.state,
                }
            ],
        }
    )
    return rec


def write_orders(out: Path, orders: list[Order], segments: list[str]) -> None:
    write_json_array(
        out / "orders" / "tmf622_product_orders.json",
        (order_resource(o, segments[o.customer]) for o in orders),
    )
    events = sorted(((t, o.id, i, st) for o in orders for i, (st, t) in enumerate(o.states)))
    by_month: dict[str, list[dict]] = defaultdict(list)
    for n, (t, oid, _, st) in enumerate(events):
        ym = datetime.fromtimestamp(t, tz=UTC).strftime("%Y%m")
        by_month[ym].append(
            {
                "eventId": f"POE-{n + 1:08d}",
                "eventTime": iso(t),
                "eventType": "ProductOrderStateChangeEvent",
                "event": {"productOrder": {"id": oid, "state": st, "@type": "ProductOrder"}},
                "@type": "ProductOrderStateChangeEvent",
            }
        )
    for ym in sorted(by_month):
        write_json_array(out / "orders" / f"tmf622_order_events_{ym}.json", by_month[ym])


def ticket_resource(tk: Ticket, net: Network) -> dict:
    last_t = tk.statuses[-1][1]
    rec: dict = {
        "id": tk.id,
        "@type": "TroubleTicket",
        "name": {
            "complaint": "Customer complaint",
            "networkIncident": "Network incident",
            "billingDispute": "Billing dispute",
        }[tk.ticket_type],
        "creationDate": iso(tk.created),
        "lastUpdate": iso(last_t),
    }
    if tk.resolved is not None:
        rec["resolutionDate"] = iso(tk.resolved)
    rec.update(
        {
            "status": tk.status,
            "severity": tk.severity,
            "priority": tk.priority,
            "ticketType": tk.ticket_type,
        }
    )
    if tk.cell is not None:
        rec["relatedEntity"] = [
            {
                "role": "affectedCell",
                "entity": {
                    "id": str(net.cell_ids[tk.cell]),
                    "name": str(net.ldns[tk.cell]),
                    "@referredType": "Cell",
                },
            }
        ]
    if tk.customer is not None:
        rec["relatedParty"] = [_customer_ref(tk.customer)]
    rec["statusChange"] = [{"status": s, "statusChangeDate": iso(t)} for s, t in tk.statuses]
    return rec


def write_tickets(out: Path, tickets: list[Ticket], net: Network) -> None:
    write_json_array(
        out / "tickets" / "tmf621_trouble_tickets.json", (ticket_resource(t, net) for t in tickets)
    )
