"""Every real-file gotcha of the issue, one small fixture each (tests/fixtures/gotchas)."""

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
from orchestration.ingest.quarantine import read_quarantine
from orchestration.ingest.run import ingest_dataset
from orchestration.sources import (
    BY_FORMAT,
    DATASETS,
    parse_all,
    pm_xml,
    tmf622_product_order,
    tmf641_service_order,
    tmf642_alarm,
    tmf_event,
    ves_json,
)

G = Path(__file__).parents[1] / "fixtures" / "gotchas"
LANDING = Path(__file__).parents[1] / "fixtures" / "landing"
DUP = "duplicate counter value (same ne_id, meas_obj_ldn, counter, period_end)"


def _cell(rows: pl.DataFrame, ne: str, obj: str, counter: str) -> dict:
    hit = rows.filter(
        (pl.col("ne_id") == ne) & (pl.col("meas_obj_ldn") == obj) & (pl.col("counter") == counter)
    )
    assert hit.height == 1, hit
    return hit.row(0, named=True)


def test_pm_mixed_layouts_and_every_value_rule() -> None:
    result = pm_xml.parse(G / "pm_mixed_layouts.xml")
    rows = result.rows
    # joined on p: r order does not matter, a missing r is NULL and nothing shifts
    assert _cell(rows, "NE-A", "Cell=1", "c.one")["value"] == 1.0
    missing = _cell(rows, "NE-A", "Cell=1", "c.two")
    assert missing["value_raw"] is None and missing["value"] is None and missing["suspect"]
    assert _cell(rows, "NE-A", "Cell=1", "c.three")["value"] == 3.0
    # NIL, empty and ... are kept raw with a NULL value; TRUE / true are suspect
    assert [
        _cell(rows, "NE-A", "Cell=2", c)["value_raw"] for c in ("c.one", "c.two", "c.three")
    ] == ["NIL", "", "..."]
    # wrapped measTypes/measResults, exponent numbers, PDF bins
    assert _cell(rows, "NE-A", "Cell=1", "l.one")["value"] == 1500.0
    pdf = _cell(rows, "NE-A", "Cell=1", "l.pdf")
    assert pdf["value"] is None and pdf["value_list"] == [4.0, 5.0, 6.0]
    # periods from each granPeriod (PT15M, PT1H, PT900S), never from the header/footer
    p_row = _cell(rows, "NE-A", "Cell=1", "c.one")
    assert p_row["granularity_s"] == 900 and p_row["job_id"] == "7"
    assert p_row["period_end_utc"] == datetime(2024, 3, 1, 9, 15, 0, 500000, tzinfo=UTC)
    hour = _cell(rows, "NE-A", "Cell=1", "l.one")
    assert hour["granularity_s"] == 3600 and hour["meas_info_id"] is None
    assert hour["period_end_utc"] == datetime(2024, 3, 1, 15, 0, tzinfo=UTC)  # -05:00:00
    assert hour["period_end_raw"] == "2024-03-01T10:00:00-05:00:00"
    # no zone: configured default (UTC here), flagged
    naive = _cell(rows, "NE-B", "Cell=9", "b")
    assert naive["time_zone_assumed"] and naive["period_end_utc"] == datetime(
        2024, 3, 1, 10, 15, tzinfo=UTC
    )
    assert not hour["time_zone_assumed"]
    # measInfoId repeated in the period: new counter loads, the repeated one is a duplicate
    assert _cell(rows, "NE-B", "Cell=9", "z")["value"] == 6.0
    # measObjLdn="": the managed element itself is the measured object
    assert _cell(rows, "NE-B", "NE-B", "b")["value"] == 2.0
    reasons = [(r.record_ref, r.reason) for r in result.rejects]
    assert reasons == [
        ("measData[2]/measInfo[2]/measValue[1]", "measTypes/measResults length mismatch (3 vs 2)"),
        ("measData[2]/measInfo[2]/measValue[2]", "measTypes/measResults length mismatch (3 vs 2)"),
        ("measData[2]/measInfo[3]/measValue[1]", "unparseable granPeriod duration '15 minutes'"),
        ("measData[2]/measInfo[4]/measValue[1]/a", DUP),
    ]
    assert rows.height == 14 and result.rows_in == 18


def test_default_zone_from_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ITOT_DEFAULT_TZ", "Europe/Paris")
    rows = pm_xml.parse(G / "pm_mixed_layouts.xml").rows
    naive = _cell(rows, "NE-B", "Cell=9", "b")
    assert naive["period_end_utc"] == datetime(2024, 3, 1, 9, 15, tzinfo=UTC)
    monkeypatch.setenv("ITOT_DEFAULT_TZ", "Not/AZone")
    assert (
        pm_xml.parse(G / "pm_mixed_layouts.xml")
        .rejects[0]
        .reason.startswith("invalid ITOT_DEFAULT_TZ")
    )


def test_prefixed_32401_namespace_cdata_entities_empty_local_dn() -> None:
    result = pm_xml.parse(G / "pm_prefixed_32401.xml")
    assert result.rejects == []
    row = result.rows.row(0, named=True)
    # localDn="": the element is named by the next of the fallback (fileSender localDn)
    assert row["ne_id"] == "EM-1" and row["dn_prefix"] == "SubNetwork=1"
    assert row["meas_obj_ldn"] == "Cell=A&B" and row["meas_info_id"] == "x & y"
    assert row["source_format"] == "32.401" and result.rows["value"].to_list() == [7.0, 8.0]


def test_legacy_32401_dtd_format() -> None:
    result = pm_xml.parse(G / "pm_legacy_32401.xml")
    assert result.rejects == [] and result.rows.height == 4
    row = _cell(
        result.rows,
        "DC=a1,SubNetwork=1,ManagedElement=RNC-1",
        "RncFunction=RF-1,UtranCell=Gbg-998",
        "succTCHSeizures",
    )
    assert row["value_raw"] == "" and row["suspect"] and row["granularity_s"] == 900
    assert row["period_end_utc"] == datetime(2000, 3, 1, 14, 15, tzinfo=UTC)
    assert row["time_zone_assumed"] and row["source_format"] == "32.401-dtd"


@pytest.mark.parametrize("name", ["pm_entity_expansion.xml", "pm_external_entity.xml"])
def test_hostile_files_are_quarantined(name: str) -> None:
    assert detect_format(G / name) == "3gpp_pm_xml"
    result = pm_xml.parse(G / name)
    assert result.rows.height == 0 and result.rows_in == 1
    assert result.rejects[0].reason.startswith("XML entity declarations are not allowed")


def test_header_only_and_gzip(tmp_path: Path) -> None:
    result = pm_xml.parse(G / "pm_header_only.xml")
    assert (result.rows.height, result.rejects, result.rows_in) == (0, [], 0)
    gz = tmp_path / "x"
    gz.write_bytes(gzip.compress((G / "pm_mixed_layouts.xml").read_bytes()))
    assert pm_xml.parse(gz).rows.equals(pm_xml.parse(G / "pm_mixed_layouts.xml").rows)


def test_fast_path_equals_general_path(tmp_path: Path) -> None:
    """The regex fast path (common shapes) and the general reader give the same rows."""
    for src in sorted(LANDING.glob("pm/*/*.xml")):
        text = src.read_text()
        # A namespace prefix forces the general per-measValue reader for every element.
        prefixed = text.replace("<measCollecFile xmlns=", "<pm:measCollecFile xmlns:pm=")
        prefixed = prefixed.replace("</measCollecFile>", "</pm:measCollecFile>")
        for tag in (
            "fileHeader",
            "fileSender",
            "measCollec",
            "measData",
            "managedElement",
            "measInfo",
            "job",
            "granPeriod",
            "repPeriod",
            "measTypes",
            "measType",
            "measValue",
            "measResults",
            "suspect",
            "fileFooter",
            "r",
        ):
            prefixed = prefixed.replace(f"<{tag} ", f"<pm:{tag} ").replace(
                f"<{tag}>", f"<pm:{tag}>"
            )
            prefixed = prefixed.replace(f"</{tag}>", f"</pm:{tag}>")
        path = tmp_path / src.name
        path.write_text(prefixed)
        a, b = pm_xml.parse(src), pm_xml.parse(path)
        assert b.rejects == a.rejects
        assert b.rows.drop("source_format").equals(a.rows.drop("source_format"))
        assert list(b.record_refs) == list(a.record_refs)


def test_ves_line_delimited_epochs_offsets_duplicates() -> None:
    results = ves_json.parse_all(G / "ves_lines.ndjson")
    alarms = results["alarm_events"]
    assert [(r.record_ref, r.reason.split(":")[0]) for r in alarms.rejects] == [
        (
            "line[3]/event",
            "duplicate VES event (same source, event name, id, start time, sequence)",
        ),
        ("line[4]", "not valid JSON"),
    ]
    first, second = alarms.rows.to_dicts()
    # "…Microsec" holding milliseconds, as a string: unit from the magnitude, raw kept
    assert first["event_time_utc"] == datetime(2024, 1, 1, 10, 0, tzinfo=UTC)
    assert first["event_time_raw"] == "1704103200000" and first["severity"] == "MAJOR"
    assert second["event_time_utc"] == first["event_time_utc"] and second["is_clear"]
    assert first["event_id"] == second["event_id"]  # same eventId, other source: both kept
    pm = results["pm_counters"].rows.sort("counter")
    assert pm["value_raw"].to_list() == ["NIL", "2.5e1"] and pm["value"].to_list() == [None, 25.0]
    # granularityPeriod holding an epoch: the event's own span instead
    assert pm["granularity_s"].unique().to_list() == [900] and pm["suspect"].all()
    assert ves_json.tz_offset_min("UTC+05.30") == 330 and ves_json.tz_offset_min("+02:00") == 120
    assert ves_json.tz_offset_min("UTC-05:30") == -330 and ves_json.tz_offset_min(None) is None


def test_ves_bare_array_no_wrapper_ves5_names() -> None:
    results = ves_json.parse_all(G / "ves_bare_array.json")
    assert [r.reason for r in results["alarm_events"].rejects] == ["event is not an object"]
    assert results["ves_events"].rows["domain"].to_list() == ["heartbeat"]
    pm = results["pm_counters"].rows
    assert pm["counter"].to_list() == ["ATT", "SUCC"] and pm["value"].to_list() == [150.0, 148.0]
    assert pm["ne_id"].to_list() == ["NE-1", "NE-1"]  # stray spaces trimmed


def test_ves_invalid_json_is_one_file_reject(tmp_path: Path) -> None:
    path = tmp_path / "x.json"
    path.write_text('{"event": {"commonEventHeader": ')
    result = ves_json.parse(path)
    assert result.rows_in == 1 and result.rejects[0].reason.startswith("not valid JSON")


def test_tmf_variants() -> None:
    rows = tmf622_product_order.parse(G / "tmf_variants.json").rows.to_dicts()
    assert [r["state"] for r in rows] == ["inProgress"] * 3  # INPROGRESS, in_progress
    assert [r["customer_id"] for r in rows] == ["CUST-1", "CUST-2", None]  # v4 flat, v5 nested
    assert [r["external_id"] for r in rows] == ["EXT-1", "EXT-2", None]  # array or string
    assert rows[0]["creation_at"] == datetime(2024, 1, 2, 10, 0, 0, 123456, tzinfo=UTC)
    assert rows[0]["dates_inconsistent"]  # requested before created: kept, flagged
    chars = json.loads(rows[0]["characteristics_json"])
    assert chars == [
        {"name": "speed", "valueType": "number", "value": 100},
        {"name": "opts", "valueType": "dict", "value": {"a": 1}},
    ]


def test_tmf_money_strings() -> None:
    from orchestration.sources.tmf_common import money

    assert money({"unit": "EUR", "value": "12.50"}, "x") == (12.5, "EUR")
    assert money("12.50 EUR", "x") == (12.5, "EUR") and money("EUR 1,200", "x") == (1200.0, "EUR")
    assert money(3, "x") == (3.0, None)


def test_tmf641_tmf642_and_events() -> None:
    so = tmf641_service_order.parse(G / "tmf641_service_orders.json")
    assert [r.reason for r in so.rejects] == ["missing id"]
    assert so.rows["state"].to_list() == ["completed", "acknowledged"]
    assert so.rows["dates_inconsistent"].to_list() == [True, False]
    alarms = tmf642_alarm.parse(G / "tmf642_alarms.json")
    # ALM-1 listed raised, then again cleared: its raise twice (the second a duplicate) + a clear
    assert alarms.rows["is_clear"].to_list() == [False, True]
    assert [r.reason for r in alarms.rejects] == [
        tmf642_alarm.DUPLICATE,
        "unknown perceivedSeverity 'BOGUS'",
    ]
    events = tmf_event.parse(G / "tmf_events.json")
    assert events.rows["time_field"].to_list() == ["timeOcurred", "timeOccurred"]
    assert events.rows["state"].to_list() == ["inProgress", "settled"]
    assert [r.reason for r in events.rejects] == ["missing eventTime"]


EXPECTED_FORMATS = {
    "pm_mixed_layouts.xml": "3gpp_pm_xml",
    "pm_prefixed_32401.xml": "3gpp_pm_xml",
    "pm_legacy_32401.xml": "3gpp_pm_xml",
    "pm_header_only.xml": "3gpp_pm_xml",
    "pm_stylesheet_before_declaration.xml": "3gpp_pm_xml",
    "ves_lines.ndjson": "ves_json",
    "ves_bare_array.json": "ves_json",
    "tmf_variants.json": "tmf622_product_order",
    "tmf641_service_orders.json": "tmf641_service_order",
    "tmf642_alarms.json": "tmf642_alarm",
    "tmf_events.json": "tmf_event",
    "unknown.json": None,
}


@pytest.mark.parametrize("name,fmt", sorted(EXPECTED_FORMATS.items(), key=lambda x: x[0]))
def test_detected_from_content(name: str, fmt: str | None, tmp_path: Path) -> None:
    blob = tmp_path / "blob"
    blob.write_bytes((G / name).read_bytes())
    assert detect_format(blob) == fmt


def test_mixed_landing_ledger_accounts_for_every_record(tmp_path: Path) -> None:
    """Every fixture in one landing zone: nothing raises, every record is loaded or quarantined."""
    landing, data = tmp_path / "landing", tmp_path / "data"
    shutil.copytree(G, landing / "mixed")
    shutil.copytree(LANDING, landing / "zone")
    scan_landing(landing, data)
    for dataset in DATASETS:
        ingest_dataset(dataset, landing, data)
    ledger = read_ledger(data)
    assert (ledger["rows_in"] == ledger["rows_loaded"] + ledger["rows_quarantined"]).all()
    files = {p.relative_to(landing).as_posix() for p in landing.rglob("*") if p.is_file()}
    files.discard("zone/truth.json")
    assert set(ledger["file_path"]) == files
    # per file, the ledger rows add up to what the parsers saw
    for rel in files:
        fmt = detect_format(landing / rel)
        if fmt is None:
            continue
        seen = sum(r.rows_in for r in parse_all(BY_FORMAT[fmt], landing / rel).values())
        got = ledger.filter(pl.col("file_path") == rel)["rows_in"].sum()
        assert got == max(seen, 0), rel
    mixed = ledger.filter(pl.col("file_path") == "mixed/ves_lines.ndjson")
    assert sorted(mixed["dataset"].to_list()) == ["alarm_events", "pm_counters"]
    status = dict(ledger.select("file_path", "status").iter_rows())
    assert status["mixed/unknown.json"] == "quarantined"
    assert status["mixed/pm_header_only.xml"] == "loaded"
    q = read_quarantine(data)
    assert "unrecognised format" in q["reason"].to_list()
    assert q.height == ledger["rows_quarantined"].sum()
