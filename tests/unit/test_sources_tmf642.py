"""TMF642 alarms (resources and events) into alarm_events, beside VES faults."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from orchestration.ingest.detect import detect_format
from orchestration.sources import tmf642_alarm, ves_json

REAL = Path(__file__).parents[1] / "conformance" / "real" / "tmf642"


def _write(tmp_path: Path, doc: object) -> Path:
    path = tmp_path / "alarms.json"
    path.write_text(json.dumps(doc))
    return path


def _alarm(**fields: object) -> dict:
    return {
        "id": "A1",
        "@type": "Alarm",
        "alarmType": "communicationsAlarm",
        "perceivedSeverity": "major",
        "probableCause": "VswrOverThreshold",
        "state": "raised",
        "alarmRaisedTime": "2026-01-02T10:00:00Z",
        "alarmedObject": {"id": "CELL-000005", "@referredType": "Cell"},
        "sourceSystemId": "SM-1",
        **fields,
    }


def _event(kind: str, alarm: dict, when: str = "2026-01-02T11:00:00Z") -> dict:
    return {"eventId": f"{kind}-1", "eventTime": when, "eventType": kind, "event": {"alarm": alarm}}


def test_real_vendor_list_shares_external_id_not_id() -> None:
    result = tmf642_alarm.parse(REAL / "servicenow_alarm_list_response.json")
    rows = result.rows.to_dicts()
    assert result.rejects == [] and len(rows) == 2
    assert {r["alarm_id"] for r in rows} == {
        "001a0ca629078d10f87759e2f69e4c64_2212331",
        "001c84aa29078d10f87759e2f69e4cfa_2212331",
    }
    # `MAJOR` as written, state `processed` (not TMF642's) is no clear, a ROUTER is no cell
    got = [(r["severity"], r["is_clear"], r["cell_id"]) for r in rows]
    assert got == [("MAJOR", False, None)] * 2
    assert rows[0]["event_time_utc"] == datetime(2020, 9, 15, 14, 4, 15, tzinfo=UTC)
    assert rows[0]["source_format"] == "tmf642" and rows[0]["reporting_entity"] == "checkSB"


def test_cleared_resource_is_a_raise_and_a_clear(tmp_path: Path) -> None:
    cleared = _alarm(
        state="CLEARED", perceivedSeverity="CLEARED", alarmClearedTime="2026-01-02T10:30:00+01:00"
    )
    result = tmf642_alarm.parse(_write(tmp_path, [cleared]))
    rows = result.rows.to_dicts()
    assert result.rows_in == 2 and result.record_refs == ["[0]", "[0].cleared"]
    # the raise's own severity is gone once the alarm reads `cleared`: it opens no episode
    assert [(r["is_clear"], r["severity"]) for r in rows] == [
        (False, tmf642_alarm.UNKNOWN_RAISE_SEVERITY),
        (True, "CLEARED"),
    ]
    assert rows[1]["event_time_utc"] == datetime(2026, 1, 2, 9, 30, tzinfo=UTC)
    assert rows[0]["cell_id"] == rows[1]["cell_id"] == "CELL-000005"


def test_cleared_without_a_time_is_rejected_whole(tmp_path: Path) -> None:
    result = tmf642_alarm.parse(_write(tmp_path, [_alarm(state="cleared")]))
    assert result.rows.height == 0 and result.rows_in == 1
    assert result.rejects[0].reason.startswith("cleared alarm without alarmClearedTime")


def test_alarm_events_each_one_row(tmp_path: Path) -> None:
    doc = [
        _event("AlarmCreateEvent", _alarm(perceivedSeverity="MAJOR", state="RAISED")),
        _event(
            "AlarmAttributeValueChangeEvent",
            _alarm(perceivedSeverity="critical", alarmChangedTime="2026-01-02T10:10:00Z"),
        ),
        _event("AlarmStateChangeEvent", _alarm(state="acknowledged")),  # a vendor's state
        _event(
            "AlarmStateChangeEvent",
            _alarm(state="cleared", alarmClearedTime="2026-01-02T10:40:00Z"),
        ),
        _event("AlarmDeleteEvent", _alarm()),
    ]
    path = _write(tmp_path, doc)
    assert detect_format(path) == "tmf642_alarm"
    result = tmf642_alarm.parse(path)
    got = [
        (r["event_id"], r["is_clear"], r["severity"], r["event_time_utc"].strftime("%H:%M"))
        for r in result.rows.to_dicts()
    ]
    assert got == [
        ("AlarmCreateEvent-1", False, "MAJOR", "10:00"),  # at alarmRaisedTime
        ("AlarmAttributeValueChangeEvent-1", False, "CRITICAL", "10:10"),  # at alarmChangedTime
        ("AlarmStateChangeEvent-1", False, "MAJOR", "11:00"),  # no change time: the event's
        ("AlarmStateChangeEvent-1", True, "CLEARED", "10:40"),  # at alarmClearedTime
    ]
    assert [r.reason for r in result.rejects] == [tmf642_alarm.DELETE_EVENT]
    assert result.rows_in == 5


def test_ves_raise_and_tmf642_clear_share_the_episode_key(tmp_path: Path) -> None:
    """int_network__alarm_episodes pairs on (cell_id, alarm_condition): a VES raise and a
    TMF642 clear of the same alarm give the same key, a raise and a clear."""
    ves = {
        "event": {
            "commonEventHeader": {
                "domain": "fault",
                "eventId": "fault1",
                "eventName": "Fault_Ericsson_VswrOverThreshold",
                "sourceName": "NE-0002",
                "startEpochMicrosec": 1767348000000000,
                "lastEpochMicrosec": 1767348000000000,
            },
            "faultFields": {
                "alarmCondition": "VswrOverThreshold",
                "eventSeverity": "MAJOR",
                "alarmInterfaceA": "ManagedElement=NE-0002,GNBDUFunction=1,NRCellDU=2",
                "alarmAdditionalInformation": {"cellId": "CELL-000005"},
            },
        }
    }
    ves_path = tmp_path / "ves.json"
    ves_path.write_text(json.dumps(ves))
    raise_row = ves_json.parse(ves_path).rows.to_dicts()[0]
    clear = _event(
        "AlarmStateChangeEvent", _alarm(state="cleared", alarmClearedTime="2026-01-02T10:40:00Z")
    )
    clear_row = tmf642_alarm.parse(_write(tmp_path, [clear])).rows.to_dicts()[0]
    key = ("cell_id", "alarm_condition")
    assert [raise_row[k] for k in key] == [clear_row[k] for k in key]
    assert (raise_row["is_clear"], clear_row["is_clear"]) == (False, True)
    assert raise_row["event_time_utc"] < clear_row["event_time_utc"]
    assert (raise_row["source_format"], clear_row["source_format"]) == ("ves-fault", "tmf642")


def test_non_cell_objects_and_missing_keys(tmp_path: Path) -> None:
    doc = [
        _alarm(id="R1", alarmedObject={"id": "router-7"}, alarmedObjectType="ROUTER"),
        _alarm(id="X1", alarmedObject=None, sourceSystemId=None),
        _alarm(id="X2", perceivedSeverity="Mayor"),
    ]
    result = tmf642_alarm.parse(_write(tmp_path, doc))
    assert result.rows["cell_id"].to_list() == [None]
    assert [r.reason for r in result.rejects] == [
        "missing alarmedObject.id (and sourceSystemId)",
        "unknown perceivedSeverity 'MAYOR'",
    ]
