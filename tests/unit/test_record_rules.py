"""Record rules (derived from the dataset spec), the landing-zone escape guard, and the specific
reasons for damaged files (truncation, encodings, entities, huge lines)."""

from __future__ import annotations

import gzip
import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

import polars as pl
import pytest

from orchestration.ingest import dataset_spec as spec
from orchestration.ingest import record_rules as v
from orchestration.ingest.detect import detect_format, unrecognised_reason
from orchestration.ingest.landing import ESCAPES, TRAVERSAL, scan_landing
from orchestration.ingest.ledger import read_ledger
from orchestration.ingest.quarantine import read_quarantine
from orchestration.sources import pm_xml, survey_csv, tmf621_trouble_ticket
from orchestration.sources.result import ParseResult

NOW = datetime(2026, 6, 1, tzinfo=UTC)
T0 = datetime(2026, 1, 1, tzinfo=UTC)
LDN = "ManagedElement=NE-1,ENodeBFunction=1,EUtranCellFDD=1"
INV = v.Inventory(frozenset({"CELL-1"}), frozenset({LDN}))
CTX = v.Context(inventory=INV, now=NOW)
FIXTURE_PM = Path(__file__).parents[1] / "fixtures" / "landing" / "pm"


def _pm(counter: str, value: float, ldn: str = LDN, end: datetime = T0) -> dict:
    return {"counter": counter, "value": float(value), "value_raw": f"{value:g}",
            "meas_obj_ldn": ldn, "granularity_s": 900, "period_end_utc": end}  # fmt: skip


def _frame(rows: list[dict]) -> pl.DataFrame:
    ts = pl.Datetime("us", "UTC")
    overrides = {c: ts for c in ("completion_at", "creation_at") if c in rows[0]}
    return pl.DataFrame(rows, schema_overrides=overrides)


def _reasons(dataset: str, rows: list[dict], ctx: v.Context = CTX) -> list[str | None]:
    """Per row, the first record rule of `dataset` it breaks."""
    return v.record_reasons(dataset, _frame(rows), ctx).to_list()


@pytest.mark.parametrize(
    ("row", "prefix"),
    [
        (_pm("RRC.ConnEstab.Att", -1), spec.NEGATIVE_COUNTER),
        (_pm("RRC.ConnEstab.Att", 1e9), spec.COUNTER_ABOVE_BOUND),
        (_pm("DRB.UEThpDl", 2e7), spec.COUNTER_ABOVE_BOUND),
        (_pm("RRU.PrbUsedDl", 100.1), spec.PERCENT_ABOVE_100),
        (_pm("CELL.UnavailTime", 901), spec.UNAVAILABLE_OVER_PERIOD),
        (_pm("X", 1, ldn=LDN[:-1] + "9"), spec.PM_UNKNOWN_CELL),
        (_pm("X", 1, end=NOW + timedelta(days=2)), spec.PM_FUTURE),
        (_pm("X", 1, end=datetime(1999, 1, 1, tzinfo=UTC)), spec.PM_BEFORE_FLOOR),
    ],
)
def test_pm_rules_reject_with_their_reason(row: dict, prefix: str) -> None:
    [reason] = _reasons("pm_counters", [row])
    assert reason is not None and reason.startswith(prefix + ": ")


@pytest.mark.parametrize(
    "row",
    [
        _pm("RRC.ConnEstab.Att", 100_000),
        _pm("RRU.PrbUsedDl", 100),
        _pm("CELL.UnavailTime", 900),
        _pm("Temperature", -20),  # a gauge that is not a canonical counter may be negative
        _pm("X", 1, ldn="ManagedElement=NE-1,Equipment=1"),  # not a cell object
        _pm("X", 1, end=NOW + timedelta(hours=23)),  # within the tolerance
    ],
)
def test_pm_rules_accept_plausible_values(row: dict) -> None:
    assert _reasons("pm_counters", [row]) == [None]


def test_a_count_bound_scales_with_the_period() -> None:
    hourly = {**_pm("RRC.ConnEstab.Att", 300_000), "granularity_s": 3600}
    assert _reasons("pm_counters", [hourly]) == [None]
    [reason] = _reasons("pm_counters", [{**hourly, "value": 400_001.0, "value_raw": "400001"}])
    assert reason == f"{spec.COUNTER_ABOVE_BOUND}: RRC.ConnEstab.Att=400001"


def test_unknown_cell_rules_are_skipped_without_an_inventory() -> None:
    ctx = v.Context(inventory=None, now=NOW)
    assert _reasons("pm_counters", [_pm("X", 1, ldn=LDN + "9")], ctx) == [None]
    alarm = {"cell_id": "CELL-9", "event_time_utc": T0}
    assert v.alarm_unknown_cell(_frame([alarm]), ctx).to_list() == [None]
    assert _reasons("alarm_events", [alarm])[0].startswith(spec.ALARM_UNKNOWN_CELL)
    assert _reasons("alarm_events", [{"cell_id": None, "event_time_utc": T0}]) == [None]


def _ev(eid: str, order: str, state: str, hours: int) -> dict:
    return {"event_id": eid, "order_id": order, "state": state,
            "event_time_utc": T0 + timedelta(hours=hours)}  # fmt: skip


def test_order_event_rules() -> None:
    rows = [
        _ev("1", "A", "acknowledged", 0),
        _ev("2", "A", "inProgress", 1),
        _ev("3", "A", "held", 2),
        _ev("4", "A", "inProgress", 3),  # held <-> inProgress is allowed
        _ev("5", "A", "completed", 4),
        _ev("6", "A", "inProgress", 5),  # after a final state
        _ev("7", "B", "inProgress", 1),
        _ev("8", "B", "acknowledged", 2),  # goes back
        _ev("9", "B", "completed", 3),
        _ev("2", "A", "inProgress", 1),  # duplicate eventId
    ]
    out = _reasons("order_events", rows)
    assert out[5] == f"{spec.OUT_OF_ORDER}: completed -> inProgress"
    assert out[7] == f"{spec.OUT_OF_ORDER}: inProgress -> acknowledged"
    assert out[9] == f"{spec.ORDER_EVENT_DUPLICATE}: 2"
    assert [i for i, r in enumerate(out) if r] == [5, 7, 9]
    future = _reasons("order_events", [_ev("x", "C", "completed", 24 * 365)])
    assert future[0].startswith(spec.ORDER_EVENT_FUTURE)


def test_other_dataset_rules() -> None:
    order = {"order_id": "O1", "state": "completed", "creation_at": T0,
             "completion_at": T0 - timedelta(days=1)}  # fmt: skip
    assert _reasons("product_orders", [order])[0].startswith(spec.COMPLETED_BEFORE_CREATED)
    assert _reasons("product_orders", [{**order, "completion_at": None}]) == [None]
    usage = [
        {"usage_id": "U1", "usage_date": T0.date(), "volume_mb": -1.0, "duration_s": 5.0},
        {"usage_id": "U2", "usage_date": T0.date(), "volume_mb": 1.0, "duration_s": -5.0},
        {"usage_id": "U3", "usage_date": T0.date(), "volume_mb": 1.0, "duration_s": 5.0},
    ]
    out = _reasons("usage", usage)
    assert out[0].startswith(spec.USAGE_NEGATIVE) and out[1].startswith(spec.USAGE_NEGATIVE)
    assert out[2] is None
    events = [{"event_id": "E1"}, {"event_id": "E1"}]
    dup = _reasons("process_events", events)
    assert dup[0] is None and dup[1] == f"{spec.PROCESS_DUPLICATE}: E1"


def test_a_missing_required_field_is_quarantined_and_an_optional_one_loads() -> None:
    """VES faults without `sequence` or `reportingEntityName` load (real producers leave them
    out); one without a source name or a severity cannot be used."""
    alarm = {"event_id": "A1", "source_name": "gNB-1", "event_time_utc": T0, "sequence": None,
             "reporting_entity": None, "severity": "MAJOR", "is_clear": False,
             "cell_id": None}  # fmt: skip
    rows = [alarm, {**alarm, "event_id": "A2", "source_name": None}, {**alarm, "severity": None}]
    assert _reasons("alarm_events", rows) == [
        None,
        f"{spec.MISSING_REQUIRED}: source_name",
        f"{spec.MISSING_REQUIRED}: severity",
    ]


def test_rules_move_rows_to_rejects_and_keep_the_count() -> None:
    rows = pl.DataFrame([_pm("RRC.ConnEstab.Att", 5), _pm("RRC.ConnEstab.Att", -5)])
    result = ParseResult(rows, [], 2, pl.Series(["mv[1]", "mv[2]"]))
    out = v.apply_record_rules("pm_counters", result, CTX)
    assert out.rows_in == 2 and out.rows.height == 1 and list(out.record_refs) == ["mv[1]"]
    [reject] = out.rejects
    assert reject.record_ref == "mv[2]/RRC.ConnEstab.Att"
    assert reject.reason == f"{spec.NEGATIVE_COUNTER}: RRC.ConnEstab.Att=-5"
    assert v.apply_record_rules("customers", result, CTX) is result  # no rule applies


# --- the landing zone guard --------------------------------------------------------------------


def test_escaping_entries_are_quarantined_and_never_read(tmp_path: Path) -> None:
    landing, outside = tmp_path / "landing", tmp_path / "outside"
    (landing / "a").mkdir(parents=True)
    outside.mkdir()
    secret = outside / "secret.csv"
    secret.write_text("case_id,activity,resource_type\nSECRET,x,human\n")
    os.symlink(secret, landing / "a" / "link.csv")
    os.symlink("../../outside", landing / "a" / "dirlink")
    os.symlink(landing / "a" / "missing", landing / "a" / "dangling.csv")
    (landing / "a" / "..%2F..%2Fetc%2Fpasswd").write_text("root:x:0:0\n")
    (landing / "a" / "%2Fetc%2Fshadow").write_text("x\n")
    (landing / "a" / ".hidden").write_text("skipped")
    inside = landing / "a" / "real.csv"
    inside.write_text("case_id,activity,resource_type\nC1,x,human\n")
    os.symlink(inside, landing / "a" / "alias.csv")  # inside the zone: read like any file
    data = tmp_path / "data"
    scan = scan_landing(landing, data)
    reasons = dict(read_ledger(data).select("file_path", "reason").iter_rows())
    assert reasons == {
        "a/link.csv": ESCAPES,
        "a/dirlink": ESCAPES,
        "a/dangling.csv": ESCAPES,
        "a/..%2F..%2Fetc%2Fpasswd": TRAVERSAL,
        "a/%2Fetc%2Fshadow": TRAVERSAL,
    }
    assert set(scan.frame["file_path"]) == set(reasons) | {"a/real.csv", "a/alias.csv"}
    raws = read_quarantine(data)["raw"].to_list()
    assert not any("SECRET" in raw or "root:" in raw for raw in raws), raws


# --- specific reasons for damaged files --------------------------------------------------------


def test_truncated_gzip_pm_is_detected_and_rejected_specifically(tmp_path: Path) -> None:
    src = next(FIXTURE_PM.rglob("*.xml")).read_bytes()
    path = tmp_path / "cut.xml.gz"
    path.write_bytes(gzip.compress(src * 3, mtime=0)[:-40])
    assert detect_format(path) == "3gpp_pm_xml"
    [reject] = pm_xml.parse(path).rejects
    assert reject.reason.startswith("unreadable file: EOFError")


def test_pm_encoding_and_entity_reasons(tmp_path: Path) -> None:
    text = next(FIXTURE_PM.rglob("*.xml")).read_text(encoding="utf-8")
    latin = tmp_path / "latin.xml"
    latin.write_bytes(text.replace("<measCollecFile", "<!-- Zürich -->\n<measCollecFile", 1)
                      .encode("latin-1"))  # fmt: skip
    assert detect_format(latin) == "3gpp_pm_xml"
    assert pm_xml.parse(latin).rejects[0].reason.startswith(pm_xml.NOT_DECLARED_ENCODING)
    body = text.split("?>", 1)[1]
    xxe = tmp_path / "xxe.xml"
    xxe.write_text('<?xml version="1.0"?><!DOCTYPE m [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
                   + body)  # fmt: skip
    assert pm_xml.parse(xxe).rejects[0].reason == pm_xml.EXTERNAL_ENTITY_REJECTED
    bomb = tmp_path / "bomb.xml"
    bomb.write_text('<?xml version="1.0"?><!DOCTYPE m [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;">]>'
                    + body)  # fmt: skip
    assert pm_xml.parse(bomb).rejects[0].reason == pm_xml.ENTITIES_REJECTED


def test_json_truncation_and_byte_order_marks(tmp_path: Path) -> None:
    doc = '[\n{"id":"TT-1","@type":"TroubleTicket","creationDate":"2026-01-01T00:00:00Z"},\n'
    cut = tmp_path / "cut.json"
    cut.write_text(doc + '{"id":"TT-2","@type":"Troub')
    assert detect_format(cut) == "tmf621_trouble_ticket"  # small and truncated: still detected
    reason = tmf621_trouble_ticket.parse(cut).rejects[0].reason
    assert reason.startswith("not valid JSON: truncated document")
    utf16 = tmp_path / "utf16.json"
    utf16.write_bytes(b"\xff\xfe" + (doc.rstrip(",\n") + "]").encode("utf-16-le"))
    assert detect_format(utf16) == "tmf621_trouble_ticket"
    reason = tmf621_trouble_ticket.parse(utf16).rejects[0].reason
    assert reason == "not UTF-8: UTF-16 LE byte-order mark (JSON must be UTF-8)"


def test_unrecognised_reasons(tmp_path: Path) -> None:
    empty, blank, xml, text = (tmp_path / n for n in ("e.json", "b.csv", "x.xml", "t.txt"))
    empty.write_bytes(b"")
    blank.write_text("  \n\n")
    xml.write_text('<?xml version="1.0"?><inventoryExport/>')
    text.write_text("hello\n")
    assert [unrecognised_reason(p) for p in (empty, blank, xml, text)] == [
        "empty file",
        "empty file",
        "unrecognised format: XML root element 'inventoryExport'",
        "unrecognised format",
    ]


def test_csv_with_a_huge_single_line_is_one_reject(tmp_path: Path) -> None:
    path = tmp_path / "s.csv"
    path.write_text("response_id,customer_id,response_date,channel,nps_score,csat_score\n"
                    + "R1,C1,2026-01-01,app,9," + "9" * (1 << 20))  # fmt: skip
    result = survey_csv.parse(path)
    assert result.rows_in == 1 and result.rejects[0].reason.startswith("line longer than 1 MiB")
