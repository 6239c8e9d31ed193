"""What the TM Forum Open API parsers share: reading a resource list, and field helpers.

A TMF landing file is a JSON array of resources of one `@type` (as a list endpoint returns
them); `{"items": [...]}` and a single resource object are accepted too. One resource is one
record. Both v5 (`relatedParty[].partyOrPartyRole`) and v4 (flat `relatedParty[]`) shapes are
read. Timestamps are ISO 8601 with an offset and come out as UTC; amounts are `{unit, value}`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from datetime import date, datetime
from pathlib import Path
from typing import Any

import polars as pl

from orchestration.sources.json_input import (
    NotStreamable,
    UnreadableFile,
    json_array_items,
    load_json,
    raw_json,
)
from orchestration.sources.result import ParseResult, Reject, file_rejected, truncate_raw
from orchestration.sources.timestamps import RecordError, parse_date, parse_iso_utc

Resource = dict[str, Any]
Extractor = Callable[[Resource], dict[str, Any]]


def parse_resources(
    path: Path,
    schema: dict[str, pl.DataType],
    type_ok: Callable[[str], bool],
    expected: str,
    extract: Extractor,
) -> ParseResult:
    """Run `extract` over every resource of a TMF file; a RecordError rejects that resource.

    `type_ok` checks each resource's `@type` (a resource without `@type`, as some v4 servers
    return, is accepted); `expected` names the type in reject reasons.

    A file holding one top-level array is streamed element by element (`json_array_items`:
    bounded memory for a 1 GB export); any other file, or one that does not stream cleanly, is
    read whole (`load_json`), which also gives the reject reason of a bad file. Both give the
    same result for a file that streams.
    """
    try:
        return _extract_resources(json_array_items(path), schema, type_ok, expected, extract)
    except NotStreamable:
        pass
    try:
        doc = load_json(path)
    except UnreadableFile as exc:
        return file_rejected(schema, str(exc))
    resources = resource_list(doc)
    if resources is None:
        return file_rejected(schema, NOT_A_LIST, raw_json(doc))
    return _extract_resources(resources, schema, type_ok, expected, extract)


def _extract_resources(
    resources: Iterable[Any],
    schema: dict[str, pl.DataType],
    type_ok: Callable[[str], bool],
    expected: str,
    extract: Extractor,
) -> ParseResult:
    cols: dict[str, list[Any]] = {name: [] for name in schema}
    refs: list[str] = []
    rejects: list[Reject] = []
    rows_in = 0
    for i, res in enumerate(resources):
        rows_in += 1
        ref = f"[{i}]"
        try:
            if not isinstance(res, dict):
                raise RecordError("resource is not an object")
            rtype = res.get("@type")
            if rtype is not None and not (isinstance(rtype, str) and type_ok(rtype)):
                raise RecordError(f"unexpected @type {rtype!r} (expected {expected})")
            row = extract(res)
        except RecordError as exc:
            rejects.append(Reject(ref, str(exc), truncate_raw(raw_json(res))))
            continue
        except (TypeError, ValueError, AttributeError, KeyError) as exc:
            # A field of an unexpected shape (a string where an object belongs, ...).
            reason = f"malformed resource: {type(exc).__name__}: {exc}"
            rejects.append(Reject(ref, reason, truncate_raw(raw_json(res))))
            continue
        for name in schema:
            cols[name].append(row.get(name))
        refs.append(ref)
    rows = pl.DataFrame(cols, schema=schema)
    return ParseResult(rows=rows, rejects=rejects, rows_in=rows_in, record_refs=refs)


NOT_A_LIST = "not a TMF resource list"


def resource_list(doc: Any) -> list[Any] | None:
    """The records of a TMF document: a JSON array, `{"items": [...]}` or one object (None if
    the document is none of those)."""
    if isinstance(doc, list):
        return doc
    if isinstance(doc, dict) and isinstance(doc.get("items"), list):
        return doc["items"]
    if isinstance(doc, dict):
        return [doc]
    return None


def type_is(*names: str) -> Callable[[str], bool]:
    """A `type_ok` predicate accepting exactly these `@type` values."""
    allowed = frozenset(names)
    return lambda t: t in allowed


# --- field helpers: each returns a clean Python value or raises RecordError ----------------


def text(value: Any) -> str | None:
    """A scalar as a trimmed string; None/empty -> None; objects and lists are an error."""
    if value is None:
        return None
    if isinstance(value, dict | list):
        raise RecordError(f"expected a string, got {type(value).__name__}")
    out = str(value).strip()
    return out or None


def require_id(res: Resource) -> str:
    """The resource `id` (required)."""
    rid = text(res.get("id"))
    if not rid:
        raise RecordError("missing id")
    return rid


def required(value: Any, field_name: str) -> Any:
    """`value`, or RecordError "missing <field>" when None/empty."""
    if value is None or value == "":
        raise RecordError(f"missing {field_name}")
    return value


def ts(res: Resource, field_name: str, *, required_: bool = False) -> datetime | None:
    """The UTC timestamp in `res[field_name]` (None if absent, unless required_)."""
    value = res.get(field_name)
    if value is None or value == "":
        if required_:
            raise RecordError(f"missing {field_name}")
        return None
    return parse_iso_utc(value, field_name)


def date_of(value: Any, field_name: str, *, required_: bool = False) -> date | None:
    """The calendar date (as written) of a date or timestamp string."""
    if value is None or value == "":
        if required_:
            raise RecordError(f"missing {field_name}")
        return None
    return parse_date(value, field_name)


def ref_id(value: Any) -> str | None:
    """The `id` of a reference object (`{"id": ...}`); None if absent."""
    if value is None:
        return None
    if not isinstance(value, dict):
        raise RecordError(f"expected a reference object, got {type(value).__name__}")
    return text(value.get("id"))


def as_list(value: Any, field_name: str) -> list[Any]:
    """A JSON array field (None -> [])."""
    if value is None:
        return []
    if not isinstance(value, list):
        raise RecordError(f"{field_name} is not an array")
    return value


def related_party_id(res: Resource, role: str) -> str | None:
    """Id of the first related party with `role` (case-insensitive), v5 or v4 shape."""
    wanted = role.lower()
    for party in as_list(res.get("relatedParty"), "relatedParty"):
        if not isinstance(party, dict) or str(party.get("role", "")).lower() != wanted:
            continue
        inner = party.get("partyOrPartyRole")  # v5
        if isinstance(inner, dict):
            return text(inner.get("id"))
        return text(party.get("id"))  # v4
    return None


def characteristics(items: Any, field_name: str) -> dict[str, Any]:
    """`[{"name", "value"}, ...]` -> {name: value} (first wins)."""
    out: dict[str, Any] = {}
    for item in as_list(items, field_name):
        if isinstance(item, dict) and isinstance(item.get("name"), str):
            out.setdefault(item["name"], item.get("value"))
    return out


def number(value: Any, field_name: str) -> float | None:
    """A JSON number (or numeric string) as float; None stays None."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise RecordError(f"non-numeric {field_name} {value!r}")
    try:
        return float(value)
    except (TypeError, ValueError):
        raise RecordError(f"non-numeric {field_name} {value!r}") from None


def amount(value: Any, field_name: str) -> tuple[float | None, str | None]:
    """A TMF Money `{unit, value}` -> (value, unit); absent -> (None, None). See `money`."""
    return money(value, field_name)


# --- v4/v5 variants shared by the TMF parsers ----------------------------------------------

# One mapping table for every TMF state / status value: keys are the value lower-cased with
# `_`, `-` and spaces removed; values are the canonical TMF (camelCase) spelling.
STATE_CANON: dict[str, str] = {
    s.lower(): s
    for s in (
        "acknowledged",
        "inProgress",
        "held",
        "failed",
        "completed",
        "cancelled",
        "rejected",
        "pending",
        "partial",
        "draft",
        "assessingCancellation",
        "pendingCancellation",
        "submitted",
        "new",
        "resolved",
        "closed",
        "active",
        "inactive",
        "approved",
        "terminated",
        "validated",
        "initialized",
        "raised",
        "cleared",
        "updated",
        "settled",
        "sent",
        "onHold",
        "paid",
        "created",
        "rated",
        "billed",
        "guided",
        "received",
        "suspended",
        "feasibilityChecked",
        "designed",
        "reserved",
        "unknown",
        "planned",
        "acknowledgedByCustomer",
        "inProgressByProvider",
    )
}
STATE_CANON["canceled"] = "cancelled"


def normalise_state(value: Any) -> str | None:
    """`INPROGRESS`, `in_progress`, `In Progress` -> `inProgress` (unknown values kept, trimmed)."""
    raw = text(value)
    if raw is None:
        return None
    key = raw.replace("_", "").replace("-", "").replace(" ", "").lower()
    return STATE_CANON.get(key, raw)


def event_time(res: Resource) -> tuple[datetime | None, str | None]:
    """An event envelope's time: eventTime, else timeOccurred / timeOcurred (both spellings)."""
    for name in ("eventTime", "timeOccurred", "timeOcurred"):
        if res.get(name):
            return parse_iso_utc(res[name], name), name
    return None, None


def external_id(res: Resource) -> str | None:
    """`externalId` as a string (v4) or an array of strings / {id} objects (v5): the first."""
    value = res.get("externalId")
    if isinstance(value, list):
        for item in value:
            got = text(item.get("id")) if isinstance(item, dict) else text(item)
            if got:
                return got
        return None
    if isinstance(value, dict):
        return text(value.get("id"))
    return text(value)


_MONEY = re.compile(
    r"^\s*([A-Za-z$€£¥]{0,3})\s*([-+]?[0-9][0-9,]*\.?[0-9]*(?:[eE][-+]?\d+)?)\s*([A-Za-z$€£¥]{0,3})\s*$"
)


def money(value: Any, field_name: str) -> tuple[float | None, str | None]:
    """Money as `{unit, value}` (value a number or a string, maybe with the unit in it), or a
    bare number or string (`"12.50"`, `"12.50 EUR"`, `"EUR 12.50"`) -> (value, unit)."""
    if value is None or value == "":
        return None, None
    unit = None
    if isinstance(value, dict):
        field_name = f"{field_name}.value"
        unit = text(value.get("unit") or value.get("currency"))
        value = value.get("value", value.get("amount"))
        if value is None or value == "":
            return None, unit
    if isinstance(value, bool):
        raise RecordError(f"non-numeric {field_name} {value!r}")
    if isinstance(value, int | float):
        return float(value), unit
    m = _MONEY.match(str(value))
    if not m or (m.group(1) and m.group(3)):
        raise RecordError(f"non-numeric {field_name} {value!r}")
    return float(m.group(2).replace(",", "")), unit or text(m.group(1) or m.group(3))


def characteristics_json(*lists: Any) -> str | None:
    """Polymorphic characteristics -> JSON `[{"name", "valueType", "value"}]` (value as JSON)."""
    out = []
    for items in lists:
        if not isinstance(items, list):
            continue
        for item in items:
            if not isinstance(item, dict) or item.get("name") is None:
                continue
            value = item.get("value")
            vtype = item.get("valueType") or item.get("@type") or type(value).__name__
            out.append({"name": str(item["name"]).strip(), "valueType": vtype, "value": value})
    return json.dumps(out, ensure_ascii=False, default=str) if out else None


def dates_inconsistent(*pairs: tuple[datetime | None, datetime | None]) -> bool:
    """True when any (earlier, later) pair is reversed: kept with this flag, never rejected."""
    return any(a is not None and b is not None and b < a for a, b in pairs)


def event_header(res: Resource, accepts: Callable[[str], bool]) -> tuple[str, str]:
    """(eventId, eventType) of a `…Event` envelope (`id` / `@type` where those are missing);
    RecordError when the id is missing or the type is not one `accepts`."""
    event_id = text(res.get("eventId") or res.get("id"))
    if not event_id:
        raise RecordError("missing eventId")
    event_type = text(res.get("eventType") or res.get("@type"))
    if not event_type or not accepts(event_type):
        raise RecordError(f"unexpected eventType {event_type!r}")
    return event_id, event_type


def event_payload(res: Resource, payload_key: str) -> Resource:
    """The resource an event envelope carries in `event.<payload_key>`; RecordError naming the
    missing key otherwise."""
    payload = res.get("event")
    resource = payload.get(payload_key) if isinstance(payload, dict) else None
    if not isinstance(resource, dict):
        raise RecordError(f"missing event.{payload_key}")
    return resource
