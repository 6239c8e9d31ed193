"""TM Forum Open API event envelopes (other than ProductOrder events) -> `tmf_events`.

`{"eventId", "eventTime" | "timeOccurred" | "timeOcurred", "eventType": "<Resource>…Event",
"event": {"<resource>": {...}}}` as TMF621, TMF629, TMF635, TMF641, TMF642, TMF678 notify
them: one row per event with the resource type, id and (normalised) state or status, the
payload kept as JSON. ProductOrder events keep their own dataset (order_events).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import polars as pl

from orchestration.sources import tmf_common as t
from orchestration.sources.json_input import raw_json
from orchestration.sources.result import ParseResult
from orchestration.sources.timestamps import TS_DTYPE, RecordError

FORMAT = "tmf_event"
DATASET = "tmf_events"
EVENT_TYPE = re.compile(r"^[A-Z]\w*Event$")
SCHEMA: dict[str, pl.DataType] = {
    "event_id": pl.String(),
    "event_type": pl.String(),
    "event_time_utc": TS_DTYPE,
    "time_field": pl.String(),
    "resource_type": pl.String(),
    "resource_id": pl.String(),
    "state": pl.String(),
    "payload_json": pl.String(),
}


def day_of(rows: pl.DataFrame) -> pl.Series:
    """Bronze day partition: the UTC day of the event."""
    return rows["event_time_utc"].dt.date()


def is_event(name: str) -> bool:
    """True for `…Event` type names."""
    return bool(EVENT_TYPE.match(name))


def parse(path: Path) -> ParseResult:
    """Parse one TMF event file; never raises on bad input."""
    return t.parse_resources(path, SCHEMA, is_event, "…Event", _row)


def _row(res: t.Resource) -> dict[str, Any]:
    event_id, event_type = t.event_header(res, is_event)
    when, field = t.event_time(res)
    if when is None:
        raise RecordError("missing eventTime")
    payload = res.get("event")
    if not isinstance(payload, dict) or not payload:
        raise RecordError("missing event payload")
    key, resource = next(iter(payload.items()))
    resource = resource if isinstance(resource, dict) else {}
    rtype = t.text(resource.get("@type")) or (key[:1].upper() + key[1:])
    return {
        "event_id": event_id,
        "event_type": event_type,
        "event_time_utc": when,
        "time_field": field,
        "resource_type": rtype,
        "resource_id": t.text(resource.get("id")),
        "state": t.normalise_state(resource.get("state") or resource.get("status")),
        "payload_json": raw_json(payload),
    }
