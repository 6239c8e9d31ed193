"""TMF642 Alarm Management (v4 and v5) -> `alarm_events`: the same entity as a VES fault.

A file holds Alarm resources (a list endpoint's answer, `{"items": [...]}` or one alarm) or alarm
event envelopes (`AlarmCreateEvent`, `AlarmStateChangeEvent`, `AlarmAttributeValueChangeEvent`,
as a TMF642 listener receives them, `event.alarm` holding the alarm). Every row is one alarm
event, a raise or a clear, as a VES fault event is:

- an Alarm resource records its raise (at `alarmRaisedTime`) and, once cleared, its clear too (at
  `alarmClearedTime`, else `alarmChangedTime`): one or two rows;
- an event envelope is one row: a clear when the alarm it carries is cleared (at
  `alarmClearedTime`, else the event's time), otherwise a raise or change (at `alarmChangedTime`
  for a change, `alarmRaisedTime` for a create, else the event's time). An `AlarmDeleteEvent`
  removes a record and clears nothing: quarantined with that reason. ClearAlarms / AckAlarms task
  events name alarms by reference only and stay in `tmf_events` (a TMF642 server notifies each
  cleared alarm's own `AlarmStateChangeEvent`).

`rows_in` therefore counts alarm events: a cleared Alarm resource two, a rejected record one.

Cleared means `state` or `perceivedSeverity` `cleared`, in any case (`CLEARED`); other states
(`RAISED`, `updated`, `acknowledged`, a vendor's own) are not clears. Severity is upper case, as
for VES. The raise of a resource whose severity now reads `cleared` has lost its raise severity:
`INDETERMINATE`, which opens no alarm episode (docs/kpi_definitions.md, Incidents).

Pairing with VES (`int_network__alarm_episodes` pairs on cell and condition, not on ids):
`cell_id` is `alarmedObject.id` when the alarmed object is a cell (`alarmedObjectType` or
`alarmedObject.@referredType` names a `Cell`), `alarm_condition` is `probableCause` (VES
`alarmCondition`). Alarms that share an `externalAlarmId` but not an `id` are separate alarms
(both load). A repeated (alarm id, raise/clear, time) within a file, such as the raise of an
alarm listed once raised and again cleared, is quarantined as a duplicate.
"""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path
from typing import Any

import polars as pl

from orchestration.sources import tmf_common as t
from orchestration.sources import ves_json
from orchestration.sources.json_input import UnreadableFile, load_json, raw_json
from orchestration.sources.result import ParseResult, Reject, file_rejected, truncate_raw
from orchestration.sources.timestamps import RecordError

FORMAT = "tmf642_alarm"
DATASET = "alarm_events"
TYPE_NAMES = ("Alarm",)
SCHEMA = ves_json.SCHEMA
day_of = ves_json.day_of

ALARM_EVENT = re.compile(r"^Alarm(Create|StateChange|AttributeValueChange|Delete)Event$")
CLEARED = "CLEARED"
UNKNOWN_RAISE_SEVERITY = "INDETERMINATE"
DUPLICATE = "duplicate TMF642 alarm event (same alarm id, raise or clear, time)"
DELETE_EVENT = "AlarmDeleteEvent: deleting an alarm record neither raises nor clears it"


def is_alarm_event(doc: dict[str, Any]) -> bool:
    """True for a TMF642 Alarm…Event envelope carrying its alarm in `event.alarm`."""
    name = doc.get("eventType") or doc.get("@type")
    event = doc.get("event")
    return (
        isinstance(name, str)
        and bool(ALARM_EVENT.match(name))
        and isinstance(event, dict)
        and isinstance(event.get("alarm"), dict)
    )


def parse(path: Path) -> ParseResult:
    """Parse one TMF642 file (Alarm resources or alarm events); never raises on bad input."""
    try:
        doc = load_json(path)
    except UnreadableFile as exc:
        return file_rejected(SCHEMA, str(exc))
    records = t.resource_list(doc)
    if records is None:
        return file_rejected(SCHEMA, t.NOT_A_LIST, raw_json(doc))
    rows = _Rows()
    for i, record in enumerate(records):
        ref = f"[{i}]"
        try:
            transitions = _transitions(record)
        except RecordError as exc:
            rows.reject(ref, str(exc), record)
            continue
        except (TypeError, ValueError, AttributeError, KeyError) as exc:
            rows.reject(ref, f"malformed resource: {type(exc).__name__}: {exc}", record)
            continue
        for suffix, row in transitions:
            rows.add(f"{ref}{suffix}", row, record)
    return rows.result()


class _Rows:
    """Rows and rejects of one file; a repeated event_key is rejected as a duplicate."""

    def __init__(self) -> None:
        self.cols: dict[str, list[Any]] = {name: [] for name in SCHEMA}
        self.refs: list[str] = []
        self.rejects: list[Reject] = []
        self.seen: set[str] = set()

    def add(self, ref: str, row: dict[str, Any], record: Any) -> None:
        if row["event_key"] in self.seen:
            self.reject(ref, DUPLICATE, record)
            return
        self.seen.add(row["event_key"])
        for name in SCHEMA:
            self.cols[name].append(row.get(name))
        self.refs.append(ref)

    def reject(self, ref: str, reason: str, record: Any) -> None:
        self.rejects.append(Reject(ref, reason, truncate_raw(raw_json(record))))

    def result(self) -> ParseResult:
        frame = pl.DataFrame(self.cols, schema=SCHEMA)
        rows_in = frame.height + len(self.rejects)
        return ParseResult(frame, self.rejects, rows_in, self.refs)


def _transitions(record: Any) -> list[tuple[str, dict[str, Any]]]:
    """(ref suffix, row) for each alarm event the record holds; RecordError rejects it whole."""
    if not isinstance(record, dict):
        raise RecordError("resource is not an object")
    if "event" in record and ("eventType" in record or "eventId" in record):
        return [("", _event_row(record))]
    rtype = record.get("@type")
    if rtype is not None and rtype not in TYPE_NAMES:
        raise RecordError(f"unexpected @type {rtype!r} (expected Alarm or an Alarm…Event)")
    alarm = _Alarm(record)
    raised, raised_raw = alarm.time("alarmRaisedTime", required=True)
    raise_row = alarm.row(
        clear=False, when=raised, when_raw=raised_raw, event_id=alarm.id, started=raised
    )
    if not alarm.cleared:
        return [("", raise_row)]
    cleared, cleared_raw = alarm.clear_time()
    clear_row = alarm.row(
        clear=True, when=cleared, when_raw=cleared_raw, event_id=alarm.id, started=raised
    )
    return [("", raise_row), (".cleared", clear_row)]


def _event_row(envelope: dict[str, Any]) -> dict[str, Any]:
    name = t.text(envelope.get("eventType") or envelope.get("@type")) or ""
    if not ALARM_EVENT.match(name):
        raise RecordError(f"unexpected eventType {name!r} (expected an Alarm…Event)")
    if name == "AlarmDeleteEvent":
        raise RecordError(DELETE_EVENT)
    payload = t.event_payload(envelope, "alarm")
    event_time, field = t.event_time(envelope)
    alarm = _Alarm(payload)
    raised, _raw = alarm.time("alarmRaisedTime")
    if alarm.cleared:
        when, when_raw = alarm.time("alarmClearedTime")
    elif name == "AlarmCreateEvent":
        when, when_raw = raised, alarm.raw("alarmRaisedTime")
    else:
        when, when_raw = alarm.time("alarmChangedTime")
    if when is None:
        when, when_raw = event_time, t.text(envelope.get(field)) if field else None
    if when is None:
        raise RecordError("missing eventTime (and the alarm's own time of this change)")
    event_id = t.text(envelope.get("eventId") or envelope.get("id")) or alarm.id
    return alarm.row(
        clear=alarm.cleared, when=when, when_raw=when_raw, event_id=event_id, started=raised
    )


class _Alarm:
    """The fields of one TMF642 Alarm (v4 or v5) that alarm_events keeps."""

    def __init__(self, res: dict[str, Any]) -> None:
        self.res = res
        self.id = t.require_id(res)
        self.severity = (t.text(res.get("perceivedSeverity")) or "").upper()
        state = (t.normalise_state(res.get("state")) or "").lower()
        self.cleared = self.severity == CLEARED or state == "cleared"
        if not self.severity:
            if not self.cleared:
                raise RecordError("missing perceivedSeverity")
            self.severity = CLEARED
        if self.severity not in ves_json.SEVERITIES:
            raise RecordError(f"unknown perceivedSeverity {self.severity!r}")
        obj = res.get("alarmedObject")
        self.obj = obj if isinstance(obj, dict) else {}
        self.source = t.text(self.obj.get("id")) or t.text(res.get("sourceSystemId"))
        if not self.source:
            raise RecordError("missing alarmedObject.id (and sourceSystemId)")

    def raw(self, name: str) -> str | None:
        return t.text(self.res.get(name))

    def time(self, name: str, *, required: bool = False) -> tuple[datetime | None, str | None]:
        return t.ts(self.res, name, required_=required), self.raw(name)

    def clear_time(self) -> tuple[datetime, str | None]:
        for name in ("alarmClearedTime", "alarmChangedTime"):
            when, raw = self.time(name)
            if when is not None:
                return when, raw
        raise RecordError("cleared alarm without alarmClearedTime (or alarmChangedTime)")

    def cell_id(self) -> str | None:
        kinds = (self.res.get("alarmedObjectType"), self.obj.get("@referredType"))
        is_cell = any(isinstance(k, str) and "cell" in k.lower() for k in kinds)
        return t.text(self.obj.get("id")) if is_cell else None

    def row(
        self,
        *,
        clear: bool,
        when: datetime,
        when_raw: str | None,
        event_id: str,
        started: datetime | None,
    ) -> dict[str, Any]:
        severity = self.severity
        if not clear and severity in ves_json.CLEAR_SEVERITIES:
            severity = UNKNOWN_RAISE_SEVERITY
        res = self.res
        system = t.text(res.get("sourceSystemId")) or ""
        transition = "cleared" if clear else "raised"
        return {
            "event_id": event_id,
            "event_name": t.text(res.get("alarmType")),
            "source_name": self.source,
            "reporting_entity": t.text(res.get("reportingSystemId")) or t.text(system),
            "sequence": None,
            "alarm_condition": t.text(res.get("probableCause")),
            "specific_problem": t.text(res.get("specificProblem")),
            "severity": CLEARED if clear else severity,
            "is_clear": clear,
            "event_time_utc": when,
            "last_time_utc": when,
            "alarm_interface": t.text(self.obj.get("href")) or self.source,
            "cell_id": self.cell_id(),
            "domain": "tmf642",
            "alarm_id": self.id,
            "event_key": "|".join(("tmf642", system, self.id, transition, when.isoformat())),
            "event_time_raw": when_raw,
            "time_suspect": t.dates_inconsistent((started, when)),
            "time_zone_offset": None,
            "source_format": "tmf642",
        }
