"""ONAP VES 7.x JSON events: the fault domain (alarm raise and clear).

Grain: one row per fault event. Accepts a batch `{"eventList": [...]}` or a single
`{"event": {...}}`. Events of other domains (measurement, heartbeat, stndDefined, ...) are
rejected one by one with "unsupported VES domain '<d>'" until a parser for them exists.
Times: `startEpochMicrosec` / `lastEpochMicrosec` are microseconds since the epoch (UTC).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import polars as pl

from orchestration.sources.json_input import UnreadableFile, load_json, raw_json
from orchestration.sources.result import ParseResult, Reject, file_rejected, truncate_raw
from orchestration.sources.timestamps import TS_DTYPE, RecordError

FORMAT = "ves_json"
DATASET = "alarm_events"
SCHEMA: dict[str, pl.DataType] = {
    "event_id": pl.String(),
    "event_name": pl.String(),
    "source_name": pl.String(),
    "reporting_entity": pl.String(),
    "sequence": pl.Int64(),
    "alarm_condition": pl.String(),
    "specific_problem": pl.String(),
    "severity": pl.String(),
    "is_clear": pl.Boolean(),
    "event_time_utc": TS_DTYPE,
    "last_time_utc": TS_DTYPE,
    "alarm_interface": pl.String(),
    "cell_id": pl.String(),
}
SEVERITIES = ("CRITICAL", "MAJOR", "MINOR", "WARNING", "NORMAL")
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
# Epoch microseconds between 1990 and 2100: anything else is milliseconds/seconds or garbage.
_MIN_US, _MAX_US = 631_152_000_000_000, 4_102_444_800_000_000


def day_of(rows: pl.DataFrame) -> pl.Series:
    """Bronze day partition: the UTC day of the event start."""
    return rows["event_time_utc"].dt.date()


def parse(path: Path) -> ParseResult:
    """Parse one VES file; never raises on bad input."""
    try:
        doc = load_json(path)
    except UnreadableFile as exc:
        return file_rejected(SCHEMA, str(exc))
    if isinstance(doc, dict) and isinstance(doc.get("eventList"), list):
        events, prefix = doc["eventList"], "eventList"
    elif isinstance(doc, dict) and isinstance(doc.get("event"), dict):
        events, prefix = [doc["event"]], "event"
    else:
        return file_rejected(SCHEMA, "not a VES document (no eventList or event)", raw_json(doc))

    cols: dict[str, list[Any]] = {name: [] for name in SCHEMA}
    refs: list[str] = []
    rejects: list[Reject] = []
    for i, event in enumerate(events):
        ref = f"{prefix}[{i}]" if prefix == "eventList" else "event"
        try:
            row = _fault_row(event)
        except RecordError as exc:
            rejects.append(Reject(ref, str(exc), truncate_raw(raw_json(event))))
            continue
        for name, value in row.items():
            cols[name].append(value)
        refs.append(ref)
    rows = pl.DataFrame(cols, schema=SCHEMA)
    return ParseResult(rows=rows, rejects=rejects, rows_in=len(events), record_refs=refs)


def _fault_row(event: Any) -> dict[str, Any]:
    if not isinstance(event, dict):
        raise RecordError("event is not an object")
    header = event.get("commonEventHeader")
    if not isinstance(header, dict):
        raise RecordError("missing commonEventHeader")
    domain = header.get("domain")
    if domain != "fault":
        raise RecordError(f"unsupported VES domain {domain!r}")
    fault = event.get("faultFields")
    if not isinstance(fault, dict):
        raise RecordError("missing faultFields")
    event_id = _text(header.get("eventId"))
    if not event_id:
        raise RecordError("missing eventId")
    severity = _text(fault.get("eventSeverity"))
    if not severity:
        raise RecordError("missing eventSeverity")
    severity = severity.upper()
    if severity not in SEVERITIES:
        raise RecordError(f"unknown eventSeverity {severity!r}")
    start = _epoch_us(header.get("startEpochMicrosec"), "startEpochMicrosec")
    last_raw = header.get("lastEpochMicrosec")
    last = _epoch_us(last_raw, "lastEpochMicrosec") if last_raw is not None else start
    sequence = header.get("sequence")
    if sequence is not None and not isinstance(sequence, int):
        try:
            sequence = int(str(sequence))
        except ValueError:
            raise RecordError(f"non-integer sequence {sequence!r}") from None
    info = fault.get("alarmAdditionalInformation")
    cell_id = None
    if isinstance(info, dict):
        cell_id = _text(info.get("cellId"))
    elif isinstance(info, list):  # VES 5 style: [{"name": ..., "value": ...}]
        for item in info:
            if isinstance(item, dict) and item.get("name") == "cellId":
                cell_id = _text(item.get("value"))
    return {
        "event_id": event_id,
        # Real collectors emit stray whitespace in names (" Fault_..."): trim it.
        "event_name": _text(header.get("eventName")),
        "source_name": _text(header.get("sourceName")),
        "reporting_entity": _text(header.get("reportingEntityName")),
        "sequence": sequence,
        "alarm_condition": _text(fault.get("alarmCondition")),
        "specific_problem": _text(fault.get("specificProblem")),
        "severity": severity,
        "is_clear": severity == "NORMAL",
        "event_time_utc": start,
        "last_time_utc": last,
        "alarm_interface": _text(fault.get("alarmInterfaceA")),
        "cell_id": cell_id or None,
    }


def _text(value: Any) -> str | None:
    if value is None:
        return None
    return str(value).strip()


def _epoch_us(value: Any, field_name: str) -> datetime:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise RecordError(
            f"missing {field_name}" if value is None else f"unparseable {field_name} {value!r}"
        )
    try:
        us = int(value)
    except (ValueError, OverflowError):
        raise RecordError(f"unparseable {field_name} {value!r}") from None
    if not _MIN_US <= us <= _MAX_US:
        raise RecordError(f"{field_name} {value!r} is not epoch microseconds")
    return _EPOCH + timedelta(microseconds=us)
