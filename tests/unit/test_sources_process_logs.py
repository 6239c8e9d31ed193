"""Process-mining event logs (IEEE 1849 XES, OCEL 2.0 / 1.0 in JSON and XML) into
process_events, beside the CSV log."""

from __future__ import annotations

import gzip
import json
import shutil
from datetime import UTC, datetime
from pathlib import Path

import polars as pl
import pytest

from orchestration.ingest.detect import detect_format
from orchestration.ingest.landing import scan_landing
from orchestration.ingest.ledger import read_ledger
from orchestration.ingest.run import ingest_dataset
from orchestration.sources import process_log_csv, process_log_ocel, process_log_xes

REAL = Path(__file__).parents[1] / "conformance" / "real"
LANDING = Path(__file__).parents[1] / "fixtures" / "landing"

XES_HEAD = (
    '<?xml version="1.0" encoding="UTF-8" ?>\n'
    '<log xes.version="1.0" xmlns="http://www.xes-standard.org/">\n'
    '  <global scope="event"><date key="time:timestamp" value="1970-01-01T00:00:00+00:00"/>'
    "</global>\n"
)


def _xes(tmp_path: Path, traces: str, name: str = "log.xes") -> Path:
    path = tmp_path / name
    path.write_text(XES_HEAD + traces + "</log>\n")
    return path


def _event(name: str, time: str | None = None, **attrs: str) -> str:
    parts = [f'<string key="concept:name" value="{name}"/>']
    if time:
        parts.append(f'<date key="time:timestamp" value="{time}"/>')
    parts += [f'<string key="{k.replace("_", ":")}" value="{v}"/>' for k, v in attrs.items()]
    return "<event>" + "".join(parts) + "</event>"


def test_real_xes_standard_example() -> None:
    """The XES standard's example log (rustxes' test file): nested attributes, a namespace URI
    with a line break in it, a global default time that must not be applied."""
    path = REAL / "xes" / "rustxes_test.xes"
    assert detect_format(path) == "xes"
    result = process_log_xes.parse(path)
    rows = result.rows.to_dicts()
    assert result.rejects == []
    assert [(r["event_id"], r["activity"]) for r in rows] == [
        ("Trace number one#1", "Register client"),
        ("Trace number one#2", "Mail rejection"),
    ]
    assert rows[0]["event_time_utc"] == datetime(2009, 11, 25, 12, 12, 45, tzinfo=UTC)
    assert rows[0]["resource"] is None and rows[0]["source_format"] == "xes"


def test_xes_fields_lifecycle_and_gzip(tmp_path: Path) -> None:
    trace = (
        '<trace><string key="concept:name" value="INC-1"/>'
        '<string key="workflow" value="fault_management"/>'
        + _event("Diagnose", "2026-01-02T10:00:00+01:00", org_resource="noc-7",
                 lifecycle_transition="START")
        + _event("Diagnose", "2026-01-02T10:20:00+01:00", org_resource="noc-7",
                 lifecycle_transition="complete", identity_id="ev-42")
        + "</trace>"
    )  # fmt: skip
    plain = _xes(tmp_path, trace)
    packed = tmp_path / "log.xes.gz"
    packed.write_bytes(gzip.compress(plain.read_bytes()))
    assert detect_format(packed) == "xes"
    for path in (plain, packed):
        rows = process_log_xes.parse(path).rows.to_dicts()
        assert [(r["event_id"], r["lifecycle_transition"]) for r in rows] == [
            ("INC-1#1", "start"),
            ("ev-42", "complete"),
        ]
        assert {r["workflow"] for r in rows} == {"fault_management"}  # the trace's attribute
        assert rows[1]["event_time_utc"] == datetime(2026, 1, 2, 9, 20, tzinfo=UTC)
        assert rows[1]["resource"] == "noc-7" and rows[1]["resource_type"] is None


def test_xes_without_timestamps_loads_nothing(tmp_path: Path) -> None:
    """A time is never invented (nor taken from the global default): every event is quarantined."""
    trace = '<trace><string key="concept:name" value="c1"/>' + _event("A") + _event("B")
    result = process_log_xes.parse(_xes(tmp_path, trace + "</trace>"))
    assert result.rows.height == 0 and result.rows_in == 2
    assert {r.reason for r in result.rejects} == {process_log_xes.NO_TIMESTAMP}


def test_xes_record_faults_and_file_faults(tmp_path: Path) -> None:
    traces = (
        '<trace><string key="concept:name" value="c1"/>'
        + _event("A", "2026-01-02T10:00:00")  # no offset: no zone is assumed
        + _event("", "2026-01-02T10:00:00Z")
        + "</trace><trace>" + _event("B", "2026-01-02T10:00:00Z") + "</trace>"
    )  # fmt: skip
    result = process_log_xes.parse(_xes(tmp_path, traces))
    assert [r.reason.split(" '")[0] for r in result.rejects] == [
        "timestamp without offset",
        "XES event without concept:name (no activity)",
        "XES trace without concept:name (no case id)",
    ]
    truncated = tmp_path / "cut.xes"
    truncated.write_bytes(_xes(tmp_path, traces).read_bytes()[:-40])
    cut = process_log_xes.parse(truncated)
    assert cut.rows.height == 0 and cut.rejects[0].reason.startswith("not well-formed XML")
    hostile = tmp_path / "hostile.xes"
    hostile.write_text('<?xml version="1.0"?><!DOCTYPE log [<!ENTITY a "aaaa">]><log>&a;</log>')
    assert (
        process_log_xes.parse(hostile)
        .rejects[0]
        .reason.startswith("XML entity declarations are not allowed")
    )


OCEL2 = {
    "objectTypes": [{"name": "order", "attributes": []}, {"name": "item", "attributes": []}],
    "eventTypes": [{"name": "place order", "attributes": []}],
    "objects": [
        {"id": "o1", "type": "order"},
        {"id": "o2", "type": "order"},
        {"id": "i1", "type": "item"},
    ],
    "events": [
        {
            "id": "e1",
            "type": "place order",
            "time": "2026-01-02T10:00:00Z",
            "attributes": [{"name": "org:resource", "value": "shop-bot"}],
            "relationships": [{"objectId": "i1", "qualifier": "item"}, {"objectId": "o1"}],
        },
        {"id": "e2", "type": "pick item", "time": "2026-01-02T11:00:00+01:00",
         "relationships": [{"objectId": "i1", "qualifier": "item"}]},
        {"id": "e3", "type": "pay order", "time": "2026-01-02T12:00:00Z",
         "relationships": [{"objectId": "o2"}]},
        {"id": "e4", "type": "pay order", "time": "2026-01-02T12:00:00",
         "relationships": [{"objectId": "o1"}]},
    ],
}  # fmt: skip

OCEL2_XML = """<?xml version="1.0" encoding="UTF-8"?>
<log>
  <object-types><object-type name="order"/><object-type name="item"/></object-types>
  <event-types><event-type name="place order"/></event-types>
  <objects>
    <object id="o1" type="order"/><object id="o2" type="order"/><object id="i1" type="item"/>
  </objects>
  <events>
    <event id="e1" type="place order" time="2026-01-02T10:00:00Z">
      <attributes><attribute name="org:resource">shop-bot</attribute></attributes>
      <objects>
        <relationship object-id="i1" qualifier="item"/><relationship object-id="o1"/>
      </objects>
    </event>
    <event id="e2" type="pick item" time="2026-01-02T11:00:00+01:00">
      <objects><relationship object-id="i1" qualifier="item"/></objects>
    </event>
    <event id="e3" type="pay order" time="2026-01-02T12:00:00Z">
      <objects><relationship object-id="o2"/></objects>
    </event>
    <event id="e4" type="pay order" time="2026-01-02T12:00:00">
      <objects><relationship object-id="o1"/></objects>
    </event>
  </events>
</log>
"""


@pytest.mark.parametrize("form", ["json", "xml"])
def test_ocel2_json_and_xml_read_alike(form: str, tmp_path: Path) -> None:
    path = tmp_path / f"log.{form}ocel"
    path.write_text(json.dumps(OCEL2) if form == "json" else OCEL2_XML)
    assert detect_format(path) == "ocel"
    result = process_log_ocel.parse(path)
    # `order` relates to 3 events, `item` to 2: orders are the cases; e2 has no order
    got = [(r["event_id"], r["case_id"], r["resource"]) for r in result.rows.to_dicts()]
    assert got == [("e1", "o1", "shop-bot"), ("e3", "o2", None)]
    assert [r.reason.split(" '")[0] for r in result.rejects] == [
        "OCEL event related to no",
        "timestamp without offset",  # e4: the zone is never assumed
    ]


def test_ocel_case_type_is_configurable(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    path = tmp_path / "log.jsonocel"
    path.write_text(json.dumps(OCEL2))
    monkeypatch.setenv(process_log_ocel.CASE_TYPE_ENV, "item")
    result = process_log_ocel.parse(path)
    assert [(r["event_id"], r["case_id"]) for r in result.rows.to_dicts()] == [
        ("e1", "i1"),
        ("e2", "i1"),
    ]
    assert result.rows["event_time_utc"].to_list()[1] == datetime(2026, 1, 2, 10, tzinfo=UTC)


def test_real_ocel1_same_log_in_json_and_xml() -> None:
    def rows(name: str) -> list[tuple]:
        result = process_log_ocel.parse(REAL / "ocel" / name)
        return [*result.rows.rows(), *[(r.record_ref[:0], r.reason) for r in result.rejects]]

    assert rows("pm4net_minimal.jsonocel") == rows("pm4net_minimal.xmlocel")
    assert rows("pm4net_minimal_nested.jsonocel") == rows("pm4net_minimal.jsonocel")


def test_process_logs_share_one_bronze_dataset(tmp_path: Path) -> None:
    """A CSV log, an XES log and an OCEL log in one landing zone land in process_events with the
    same columns; the ledger conserves every record."""
    landing, data = tmp_path / "landing", tmp_path / "data"
    (landing / "logs").mkdir(parents=True)
    shutil.copy(REAL / "xes" / "rustxes_test.xes", landing / "logs")
    shutil.copy(REAL / "ocel" / "pm4net_minimal.jsonocel", landing / "logs")
    shutil.copytree(LANDING / "process_log", landing / "process_log")
    scan_landing(landing, data)
    ingest_dataset("process_events", landing, data)
    bronze = pl.read_parquet(data / "bronze" / "process_events" / "**" / "*.parquet")
    assert set(process_log_csv.SCHEMA) <= set(bronze.columns)
    assert set(bronze["source_format"]) == {"csv", "xes", "ocel"}
    ledger = read_ledger(data)
    assert (ledger["rows_in"] == ledger["rows_loaded"] + ledger["rows_quarantined"]).all()
    by_file = dict(ledger.select("file_path", "rows_loaded").iter_rows())
    assert by_file["logs/rustxes_test.xes"] == 2 and by_file["logs/pm4net_minimal.jsonocel"] == 2
