"""TMF642 Alarm (v4) -> `alarm_events`: the same entity as a VES fault (raise, change, clear).

One row per Alarm resource: raised time as the event time, changed/cleared time as the last
time; `perceivedSeverity` `cleared` (or `state: cleared`) marks a clear.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from orchestration.sources import tmf_common as t
from orchestration.sources import ves_json
from orchestration.sources.result import ParseResult
from orchestration.sources.timestamps import RecordError

FORMAT = "tmf642_alarm"
DATASET = "alarm_events"
TYPE_NAMES = ("Alarm",)
SCHEMA = ves_json.SCHEMA
day_of = ves_json.day_of


def parse(path: Path) -> ParseResult:
    """Parse one TMF642 Alarm file; never raises on bad input."""
    return t.parse_resources(path, SCHEMA, t.type_is(*TYPE_NAMES), "Alarm", _row)


def _row(res: t.Resource) -> dict[str, Any]:
    alarm_id = t.require_id(res)
    raised = t.ts(res, "alarmRaisedTime", required_=True)
    cleared = t.ts(res, "alarmClearedTime")
    changed = t.ts(res, "alarmChangedTime")
    severity = (t.text(res.get("perceivedSeverity")) or "").upper()
    state = (t.normalise_state(res.get("state")) or "").lower()
    if not severity:
        raise RecordError("missing perceivedSeverity")
    if severity not in ves_json.SEVERITIES:
        raise RecordError(f"unknown perceivedSeverity {severity!r}")
    is_clear = severity in ves_json.CLEAR_SEVERITIES or state == "cleared"
    obj = res.get("alarmedObject") if isinstance(res.get("alarmedObject"), dict) else {}
    source = t.text(obj.get("id")) or t.text(res.get("sourceSystemId"))
    return {
        "event_id": alarm_id,
        "event_name": t.text(res.get("alarmType")),
        "source_name": source,
        "reporting_entity": t.text(res.get("reportingSystemId")),
        "sequence": None,
        "alarm_condition": t.text(res.get("probableCause")),
        "specific_problem": t.text(res.get("specificProblem")),
        "severity": severity,
        "is_clear": is_clear,
        "event_time_utc": raised,
        "last_time_utc": cleared or changed or raised,
        "alarm_interface": t.text(obj.get("href")) or source,
        "cell_id": None,
        "domain": "tmf642",
        "alarm_id": alarm_id,
        "event_key": f"{source}|{res.get('alarmType')}|{alarm_id}|{res.get('alarmRaisedTime')}|",
        "event_time_raw": t.text(res.get("alarmRaisedTime")),
        "time_suspect": t.dates_inconsistent((raised, cleared)),
        "time_zone_offset": None,
        "source_format": "tmf642",
    }
