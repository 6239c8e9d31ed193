"""TMF622 ProductOrder event envelopes -> one row per event (an order's state change).

Envelope: `{"eventId", "eventTime", "eventType", "event": {"productOrder": {"id", "state"}}}`.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import polars as pl

from orchestration.sources import tmf_common as t
from orchestration.sources.result import ParseResult
from orchestration.sources.timestamps import TS_DTYPE, RecordError

FORMAT = "tmf622_order_event"
DATASET = "order_events"
EVENT_TYPE = re.compile(r"^(Cancel)?ProductOrder\w*Event$")
SCHEMA: dict[str, pl.DataType] = {
    "event_id": pl.String(),
    "event_type": pl.String(),
    "event_time_utc": TS_DTYPE,
    "order_id": pl.String(),
    "state": pl.String(),
}


def day_of(rows: pl.DataFrame) -> pl.Series:
    """Bronze day partition: the UTC day of the event."""
    return rows["event_time_utc"].dt.date()


def is_order_event(name: str) -> bool:
    """True for ProductOrder…Event type names (StateChange, Create, Milestone, ...)."""
    return bool(EVENT_TYPE.match(name))


def parse(path: Path) -> ParseResult:
    """Parse one TMF622 order event file; never raises on bad input."""
    return t.parse_resources(path, SCHEMA, is_order_event, "ProductOrder…Event", _row)


def _row(res: t.Resource) -> dict[str, Any]:
    event_id, event_type = t.event_header(res, is_order_event)
    order = t.event_payload(res, "productOrder")
    order_id = t.text(order.get("id"))
    if not order_id:
        raise RecordError("missing event.productOrder.id")
    # eventTime, else timeOccurred / timeOcurred (both spellings occur in the APIs).
    when, _field = t.event_time(res)
    if when is None:
        raise RecordError("missing eventTime")
    return {
        "event_id": event_id,
        "event_type": event_type,
        "event_time_utc": when,
        "order_id": order_id,
        "state": t.normalise_state(order.get("state")),
    }
