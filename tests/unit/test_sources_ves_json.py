"""VES 7 fault parser: raise/clear, severity, cell id, non-fault domains, bad events, bad files."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from orchestration.sources import ves_json

FIXTURE = Path(__file__).parents[1] / "fixtures" / "landing" / "alarms" / "ves_faults_20240101.json"


def test_fault_batch() -> None:
    result = ves_json.parse(FIXTURE)
    assert result.rejects == [] and result.rows_in == 2
    assert dict(result.rows.schema) == ves_json.SCHEMA
    raise_, clear = result.rows.to_dicts()
    assert raise_["severity"] == "CRITICAL" and raise_["is_clear"] is False
    assert clear["severity"] == "NORMAL" and clear["is_clear"] is True  # upper-cased
    assert raise_["event_time_utc"] == datetime(2024, 1, 1, 10, 0, tzinfo=UTC)
    assert raise_["cell_id"] == "CELL-000002" and raise_["sequence"] == 1
    assert raise_["alarm_interface"] == "ManagedElement=NE-0001,GNBDUFunction=1,NRCellDU=2"
    assert result.record_refs == ["eventList[0]", "eventList[1]"]


def test_single_event_document(tmp_path: Path) -> None:
    event = json.loads(FIXTURE.read_text())["eventList"][0]
    path = tmp_path / "one.json"
    path.write_text(json.dumps({"event": event}))
    result = ves_json.parse(path)
    assert result.rows.height == 1 and result.record_refs == ["event"]


def test_bad_events_are_rejected_one_by_one(tmp_path: Path) -> None:
    doc = json.loads(FIXTURE.read_text())
    good = doc["eventList"][0]
    no_id = json.loads(json.dumps(good))
    del no_id["commonEventHeader"]["eventId"]
    bad_time = json.loads(json.dumps(good))
    bad_time["commonEventHeader"]["startEpochMicrosec"] = "xyz"
    unknown = json.loads(json.dumps(good))
    unknown["commonEventHeader"]["domain"] = "bogus"
    path = tmp_path / "mixed.json"
    path.write_text(json.dumps({"eventList": [good, no_id, bad_time, unknown]}))
    result = ves_json.parse(path)
    assert result.rows.height == 1 and result.rows_in == 4
    assert [(r.record_ref, r.reason) for r in result.rejects] == [
        ("eventList[1]", "missing eventId"),
        ("eventList[2]", "unparseable startEpochMicrosec 'xyz'"),
        ("eventList[3]", "unsupported VES domain 'bogus'"),
    ]


@pytest.mark.parametrize("content", [b"", b"{not json", b"\xff\xfe\x00"])
def test_malformed_file(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "bad.json"
    path.write_bytes(content)
    result = ves_json.parse(path)
    assert result.rows_in == 1 and result.rows.height == 0
    assert result.rejects[0].record_ref == "<file>"
