"""Semantic validation rules, the landing-zone escape guard, and the specific reasons for
damaged files (truncation, encodings, entities, huge lines)."""

from __future__ import annotations

import gzip
import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

import polars as pl
import pytest

from orchestration.ingest import validate as v
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


def _reasons(rule, rows: list[dict], ctx: v.Context = CTX) -> list[str | None]:
    ts = pl.Datetime("us", "UTC")
    overrides = {c: ts for c in ("completion_at", "creation_at") if c in rows[0]}
    return rule(pl.DataFrame(rows, schema_overrides=overrides), ctx).to_list()


@pytest.mark.parametrize(
    ("rule", "row", "prefix"),
    [
        (v.pm_negative_counter, _pm("RRC.ConnEstab.Att", -1), v.NEGATIVE_COUNTER),
        (v.pm_counter_above_bound, _pm("RRC.ConnEstab.Att", 1e9), v.COUNTER_ABOVE_BOUND),
        (v.pm_counter_above_bound, _pm("DRB.UEThpDl", 2e7), v.COUNTER_ABOVE_BOUND),
        (v.pm_percentage_above_100, _pm("RRU.PrbUsedDl", 100.1), v.PERCENT_ABOVE_100),
        (v.pm_unavailable_over_period, _pm("CELL.UnavailTime", 901), v.UNAVAILABLE_OVER_PERIOD),
        (v.pm_unknown_cell, _pm("X", 1, ldn=LDN[:-1] + "9"), v.PM_UNKNOWN_CELL),
        (v.pm_period_time, _pm("X", 1, end=NOW + timedelta(days=2)), v.PM_FUTURE),
        (v.pm_period_time, _pm("X", 1, end=datetime(1999, 1, 1, tzinfo=UTC)), v.PM_BEFORE_FLOOR),
    ],
)
def test_pm_rules_reject_with_their_reason(rule, row: dict, prefix: str) -> None:
    [reason] = _reasons(rule, [row])
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
    for rule in v.RULES["pm_counters"]:
        assert _reasons(rule, [row]) == [None], rule.__name__


def test_unknown_cell_rules_are_skipped_without_an_inventory() -> None:
    ctx = v.Context(inventory=None, now=NOW)
    assert _reasons(v.pm_unknown_cell, [_pm("X", 1, ldn=LDN + "9")], ctx) == [None]
    alarm = {"cell_id": "CELL-9", "event_time_utc": T0}
    assert _reasons(v.alarm_unknown_cell, [alarm], ctx) == [None]
    assert _reasons(v.alarm_unknown_cell, [alarm])[0].startswith(v.ALARM_UNKNOWN_CELL)
    assert _reasons(v.alarm_unknown_cell, [{"cell_id": None, "event_time_utc": T0}]) == [None]


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
    out = _reasons(v.order_event_out_of_order, rows)
    assert out[5] == f"{v.OUT_OF_ORDER}: completed -> inProgress"
    assert out[7] == f"{v.OUT_OF_ORDER}: inProgress -> acknowledged"
    assert [i for i, r in enumerate(out) if r] == [5, 7]
    dup = _reasons(v.order_event_duplicate, rows)
    assert [i for i, r in enumerate(dup) if r] == [9]
    future = _reasons(v.order_event_time, [_ev("x", "C", "completed", 24 * 365)])
    assert future[0].startswith(v.ORDER_EVENT_FUTURE)


def test_other_dataset_rules() -> None:
    order = {"creation_at": T0, "completion_at": T0 - timedelta(days=1)}
    assert _reasons(v.order_completed_before_created, [order])[0].startswith(
        v.COMPLETED_BEFORE_CREATED
    )
    assert _reasons(v.order_completed_before_created, [{**order, "completion_at": None}]) == [None]
    usage = [{"volume_mb": -1.0, "duration_s": 5.0}, {"volume_mb": 1.0, "duration_s": 5.0}]
    out = _reasons(v.usage_negative, usage)
    assert out[0].startswith(v.USAGE_NEGATIVE) and out[1] is None
    dup = _reasons(v.process_event_duplicate, [{"event_id": "E1"}, {"event_id": "E1"}])
    assert dup[0] is None and dup[1].startswith(v.PROCESS_DUPLICATE)


def test_validate_moves_rows_to_rejects_and_keeps_the_count() -> None:
    rows = pl.DataFrame([_pm("RRC.ConnEstab.Att", 5), _pm("RRC.ConnEstab.Att", -5)])
    result = ParseResult(rows, [], 2, pl.Series(["mv[1]", "mv[2]"]))
    out = v.validate("pm_counters", result, CTX)
    assert out.rows_in == 2 and out.rows.height == 1 and list(out.record_refs) == ["mv[1]"]
    [reject] = out.rejects
    assert reject.record_ref == "mv[2]/RRC.ConnEstab.Att"
    assert reject.reason == f"{v.NEGATIVE_COUNTER}: RRC.ConnEstab.Att=-5"
    assert v.validate("customers", result, CTX) is result  # no rules: untouched


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
