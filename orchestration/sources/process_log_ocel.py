"""OCEL object-centric event logs (OCEL 2.0 and 1.0, JSON and XML, as ocel-standard.org
defines them and pm4py, Celonis and the OCEL tools export them) -> `process_events`, one row per
event.

An OCEL event relates to several objects (an order, its items, a package), and the process log
is case-centric, so one object type is the case notion:

- `ITOT_OCEL_CASE_TYPE` names it (an environment variable, read per file); unset, it is the
  object type related to the most events of the file (ties: the alphabetically first), which the
  file's ledger rows show through the case ids it produces.
- An event's case is the first object of that type in its relationships (2.0 `relationships`,
  1.0 `ocel:omap`), in file order. Each event is one row, whatever the number of its objects, so
  a task is never counted twice; an event related to no object of the case type is quarantined
  with that reason (it belongs to no case of this notion).

Fields: event id (`id`, 1.0 the key of `ocel:events`); activity (`type`, 1.0 `ocel:activity`);
time (`time`, 1.0 `ocel:timestamp`: ISO 8601 with an offset; one without an offset is
quarantined, a zone is never assumed); resource and lifecycle from the event attributes
`org:resource` / `resource` and `lifecycle:transition` / `lifecycle`; `workflow`,
`resource_type` and `task_category` when attributes of those names exist, else null (dbt fills
them from the reference tables, docs/kpi_definitions.md, Autonomy).

XML is read with lxml, DTD loading, entity resolution and network access off (`xml_safety`).
"""

from __future__ import annotations

import io
import os
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl
from lxml import etree

from orchestration.sources import process_log_csv
from orchestration.sources.json_input import UnreadableFile, load_json, raw_json
from orchestration.sources.result import (
    ParseResult,
    Reject,
    file_rejected,
    truncate_raw,
)
from orchestration.sources.timestamps import RecordError, parse_iso_utc
from orchestration.sources.xml_safety import (
    READ_ERRORS,
    SAFE_XML_OPTIONS,
    entity_problem,
    read_error_reason,
    read_xml_bytes,
)

FORMAT = "ocel"
DATASET = process_log_csv.DATASET
SCHEMA = process_log_csv.SCHEMA
day_of = process_log_csv.day_of
CASE_TYPE_ENV = "ITOT_OCEL_CASE_TYPE"
RESOURCE_KEYS = ("org:resource", "resource")
LIFECYCLE_KEYS = ("lifecycle:transition", "lifecycle")
OWN_COLUMNS = ("workflow", "resource_type", "task_category")
JSON_2_KEYS = frozenset({"objectTypes", "eventTypes", "objects", "events"})
JSON_1_KEYS = frozenset({"ocel:global-log", "ocel:events", "ocel:objects"})
XML_2_CHILDREN = frozenset({"object-types", "event-types"})


@dataclass
class _Event:
    """One OCEL event, as read from either form and version."""

    ref: str
    event_id: str | None
    activity: str | None
    time: Any
    objects: list[str]
    attributes: dict[str, Any]
    raw: Any


class _FileProblem(Exception):
    """The file as a whole is rejected; the message is the reason."""


def is_ocel_json(doc: Any) -> bool:
    """An OCEL 2.0 (`objectTypes`, `events`, …) or 1.0 (`ocel:events`, …) JSON document."""
    return isinstance(doc, dict) and (
        len(JSON_2_KEYS & doc.keys()) >= 2 or bool(JSON_1_KEYS & doc.keys())
    )


def parse(path: Path) -> ParseResult:
    """Parse one OCEL file (JSON or XML, 2.0 or 1.0, optionally gzip); never raises on bad input."""
    try:
        events, object_types = _read(path)
    except UnreadableFile as exc:
        return file_rejected(SCHEMA, str(exc))
    except READ_ERRORS as exc:
        return file_rejected(SCHEMA, read_error_reason(exc))
    except _FileProblem as exc:
        return file_rejected(SCHEMA, str(exc))
    case_type = os.environ.get(CASE_TYPE_ENV) or default_case_type(events, object_types)
    cols: dict[str, list[Any]] = {name: [] for name in SCHEMA}
    refs: list[str] = []
    rejects: list[Reject] = []
    for event in events:
        try:
            row = _row(event, object_types, case_type)
        except RecordError as exc:
            rejects.append(Reject(event.ref, str(exc), truncate_raw(raw_json(event.raw))))
            continue
        for name in SCHEMA:
            cols[name].append(row.get(name))
        refs.append(event.ref)
    frame = pl.DataFrame(cols, schema=SCHEMA)
    return ParseResult(frame, rejects, len(events), refs)


def default_case_type(events: list[_Event], object_types: dict[str, str]) -> str | None:
    """The object type related to the most events (ties: alphabetically first)."""
    counts: Counter[str] = Counter()
    for event in events:
        counts.update({object_types[o] for o in event.objects if o in object_types})
    if not counts:
        return None
    return min(counts, key=lambda t: (-counts[t], t))


def _text(value: Any) -> str | None:
    out = str(value).strip() if value is not None and not isinstance(value, dict | list) else ""
    return out or None


def _row(event: _Event, object_types: dict[str, str], case_type: str | None) -> dict[str, Any]:
    if not event.event_id:
        raise RecordError("OCEL event without id")
    if not _text(event.activity):
        raise RecordError("OCEL event without type (no activity)")
    if _text(event.time) is None:
        raise RecordError("OCEL event without time (a time is never invented)")
    when = parse_iso_utc(str(event.time).strip(), "time")
    case_id = next((o for o in event.objects if object_types.get(o) == case_type), None)
    if case_id is None:
        raise RecordError(f"OCEL event related to no {case_type!r} object (the case notion)")
    attrs = event.attributes
    lifecycle = next((_text(attrs.get(k)) for k in LIFECYCLE_KEYS if _text(attrs.get(k))), None)
    row = {
        "event_id": event.event_id,
        "case_id": case_id,
        "activity": _text(event.activity),
        "event_time_utc": when,
        "resource": next((_text(attrs.get(k)) for k in RESOURCE_KEYS if _text(attrs.get(k))), None),
        "lifecycle_transition": lifecycle.lower() if lifecycle else None,
        "source_format": "ocel",
    }
    for name in OWN_COLUMNS:
        row[name] = _text(attrs.get(name))
    return row


# --- reading: (events, {object id: type}) from any of the four shapes -----------------------


def _read(path: Path) -> tuple[list[_Event], dict[str, str]]:
    data = read_xml_bytes(path)  # gunzipped; only a stylesheet PI before an XML declaration dropped
    if data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] == b"<":
        return _read_xml(data)
    doc = load_json(path)
    if not is_ocel_json(doc):
        raise _FileProblem("not an OCEL JSON document (no objectTypes/events or ocel:events)")
    return _read_json_2(doc) if "events" in doc or "objects" in doc else _read_json_1(doc)


def _read_json_2(doc: dict[str, Any]) -> tuple[list[_Event], dict[str, str]]:
    objects = doc.get("objects") if isinstance(doc.get("objects"), list) else []
    types = {
        str(o["id"]): str(o.get("type"))
        for o in objects
        if isinstance(o, dict) and o.get("id") is not None
    }
    events = []
    raw_events = doc.get("events") if isinstance(doc.get("events"), list) else []
    for i, e in enumerate(raw_events):
        if not isinstance(e, dict):
            events.append(_Event(f"events[{i}]", None, None, None, [], {}, e))
            continue
        rels = e.get("relationships") if isinstance(e.get("relationships"), list) else []
        attrs = {
            a.get("name"): a.get("value")
            for a in (e.get("attributes") or [])
            if isinstance(a, dict)
        }
        oids = [str(r["objectId"]) for r in rels if isinstance(r, dict) and r.get("objectId")]
        events.append(
            _Event(f"events[{i}]", _text(e.get("id")), e.get("type"), e.get("time"), oids, attrs, e)
        )
    return events, types


def _read_json_1(doc: dict[str, Any]) -> tuple[list[_Event], dict[str, str]]:
    objects = doc.get("ocel:objects") if isinstance(doc.get("ocel:objects"), dict) else {}
    types = {str(k): str(v.get("ocel:type")) for k, v in objects.items() if isinstance(v, dict)}
    raw_events = doc.get("ocel:events") if isinstance(doc.get("ocel:events"), dict) else {}
    events = []
    for key, e in raw_events.items():
        ref = f"ocel:events[{key!r}]"
        if not isinstance(e, dict):
            events.append(_Event(ref, _text(key), None, None, [], {}, e))
            continue
        omap = e.get("ocel:omap") if isinstance(e.get("ocel:omap"), list) else []
        vmap = e.get("ocel:vmap") if isinstance(e.get("ocel:vmap"), dict) else {}
        events.append(
            _Event(
                ref,
                _text(key),
                e.get("ocel:activity"),
                e.get("ocel:timestamp"),
                [str(o) for o in omap],
                vmap,
                e,
            )
        )
    return events, types


def _local(tag: object) -> str:
    return tag[tag.rfind("}") + 1 :] if isinstance(tag, str) else ""


def _read_xml(data: bytes) -> tuple[list[_Event], dict[str, str]]:
    parser = etree.XMLParser(**SAFE_XML_OPTIONS)
    root = etree.parse(io.BytesIO(data), parser).getroot()
    if _local(root.tag) != "log":
        raise _FileProblem(f"not an OCEL XML log (root element {_local(root.tag)!r})")
    problem = entity_problem(root)
    if problem:
        raise _FileProblem(problem)
    children = {_local(c.tag) for c in root}
    return _read_xml_2(root) if children & XML_2_CHILDREN else _read_xml_1(root)


def _section(root: etree._Element, name: str) -> list[etree._Element]:
    return [c for s in root if _local(s.tag) == name for c in s if isinstance(c.tag, str)]


def _read_xml_2(root: etree._Element) -> tuple[list[_Event], dict[str, str]]:
    types = {
        o.get("id"): o.get("type") for o in _section(root, "objects") if o.get("id") is not None
    }
    events = []
    for i, e in enumerate(_section(root, "events"), start=1):
        attrs: dict[str, Any] = {}
        oids: list[str] = []
        for part in e:
            if _local(part.tag) == "attributes":
                attrs.update({a.get("name"): (a.text or "").strip() for a in part})
            elif _local(part.tag) == "objects":
                oids += [r.get("object-id") for r in part if r.get("object-id")]
        raw = {"id": e.get("id"), "type": e.get("type"), "time": e.get("time")}
        events.append(
            _Event(
                f"events/event[{i}]",
                _text(e.get("id")),
                e.get("type"),
                e.get("time"),
                oids,
                attrs,
                raw,
            )
        )
    return events, types


def _keyed(elem: etree._Element) -> dict[str, Any]:
    """OCEL 1.0 XML: the `<string|date|float… key=… value=…/>` children as {key: value}; a
    `<list key=…>` as the list of its children's values (omap) or a nested dict (vmap)."""
    out: dict[str, Any] = {}
    for child in elem:
        key = child.get("key")
        if key is None:
            continue
        if _local(child.tag) == "list":
            if key in ("omap", "object-ids"):
                out[key] = [c.get("value") for c in child if c.get("value") is not None]
            else:
                out[key] = _keyed(child)
        else:
            out.setdefault(key, child.get("value"))
    return out


def _read_xml_1(root: etree._Element) -> tuple[list[_Event], dict[str, str]]:
    types = {}
    for o in _section(root, "objects"):
        fields = _keyed(o)
        if fields.get("id") is not None:
            types[str(fields["id"])] = str(fields.get("type"))
    events = []
    for i, e in enumerate(_section(root, "events"), start=1):
        fields = _keyed(e)
        vmap = fields.get("vmap") if isinstance(fields.get("vmap"), dict) else {}
        omap = fields.get("omap") if isinstance(fields.get("omap"), list) else []
        events.append(
            _Event(
                f"events/event[{i}]",
                _text(fields.get("id")),
                fields.get("activity"),
                fields.get("timestamp"),
                [str(o) for o in omap],
                vmap,
                fields,
            )
        )
    return events, types
