"""3GPP TS 32.435 PM parser: layouts, gzip, NIL, suspect, duplicates, bad records and files."""

from __future__ import annotations

import gzip
from datetime import UTC, datetime
from pathlib import Path

import polars as pl
import pytest

from orchestration.sources import pm_xml

LANDING = Path(__file__).parents[1] / "fixtures" / "landing"
ERICSSON = next((LANDING / "pm" / "oss-ericsson").glob("*.xml"))
NOKIA = next((LANDING / "pm" / "oss-nokia").glob("*.xml"))


def _value(rows: pl.DataFrame, obj_suffix: str, counter: str) -> dict:
    hit = rows.filter(
        pl.col("meas_obj_ldn").str.ends_with(obj_suffix) & (pl.col("counter") == counter)
    )
    assert hit.height >= 1
    return hit.row(0, named=True)


def test_meas_types_layout() -> None:
    result = pm_xml.parse(ERICSSON)
    assert result.rejects == []
    assert result.rows_in == result.rows.height == 2 * 2 * 8
    assert dict(result.rows.schema) == pm_xml.SCHEMA
    row = _value(result.rows, "NRCellDU=1", "DRB.UEThpDl")
    assert row["value"] == 45210.5 and row["value_raw"] == "45210.5"
    assert row["ne_id"] == "NE-0001" and row["file_sender"] == "oss-ericsson"
    assert row["meas_info_id"] == "NRCellDU" and row["granularity_s"] == 900
    assert row["period_end_utc"] == datetime(2024, 1, 1, 0, 15, tzinfo=UTC)
    assert row["period_end_raw"] == "2024-01-01T00:15:00Z"
    nil = result.rows.filter(
        pl.col("meas_obj_ldn").str.ends_with("NRCellDU=2") & (pl.col("value_raw") == "NIL")
    )
    assert nil.height == 2 and nil["value"].is_null().all() and nil["suspect"].all()
    assert result.record_refs[0] == "measData[1]/measInfo[1]/measValue[1]"


def test_granularity_from_minutes_and_day_partition() -> None:
    rows = pm_xml.parse(ERICSSON).rows
    last = rows.filter(pl.col("period_end_raw") == "2024-01-02T00:00:00Z")
    assert last["granularity_s"].unique().to_list() == [900]  # PT15M
    # The period ending at midnight belongs to the day it started.
    assert pm_xml.day_of(last).unique().to_list() == [datetime(2024, 1, 1).date()]


def test_measType_p_layout_with_offset() -> None:
    result = pm_xml.parse(NOKIA)
    assert result.rejects == [] and result.rows.height == 8
    row = _value(result.rows, "EUtranCellFDD=1", "RRU.PrbUsedDl")
    assert row["value"] == 63.25
    assert row["period_end_utc"] == datetime(2024, 1, 1, 0, 15, tzinfo=UTC)
    assert row["period_end_raw"] == "2024-01-01T01:15:00+01:00"


def test_gzip_detected_by_magic(tmp_path: Path) -> None:
    target = tmp_path / "noext"  # no .gz suffix: magic bytes decide
    target.write_bytes(gzip.compress(NOKIA.read_bytes()))
    assert pm_xml.parse(target).rows.height == 8


@pytest.mark.parametrize(
    "duration,seconds", [("PT900S", 900), ("PT15M", 900), ("PT1H", 3600), ("P1D", 86400)]
)
def test_parse_duration(duration: str, seconds: int) -> None:
    assert pm_xml.parse_duration_s(duration) == seconds


def test_length_mismatch_quarantines_meas_info(tmp_path: Path) -> None:
    text = ERICSSON.read_text().replace(
        "<measResults>120 118 1 95 45210.5 8120.25 41.5 0</measResults>",
        "<measResults>120 118 1 95 45210.5 8120.25 41.5</measResults>",
    )
    path = tmp_path / "pm.xml"
    path.write_text(text)
    result = pm_xml.parse(path)
    reasons = {r.reason for r in result.rejects}
    assert reasons == {"measTypes/measResults length mismatch (8 vs 7)"}
    assert len(result.rejects) == 2  # both measValues of the first measInfo
    assert result.rows.height == 16  # the second measInfo still loads
    assert result.rows_in == 18


def test_bad_value_duplicate_and_bad_time(tmp_path: Path) -> None:
    text = NOKIA.read_text().replace('<r p="6">4100</r>', '<r p="6">abc</r>')
    text = text.replace("</measData>", "</measData>" + _block(NOKIA.read_text()), 1)
    path = tmp_path / "pm.xml"
    path.write_text(text)
    result = pm_xml.parse(path)
    reasons = [r.reason for r in result.rejects]
    assert "non-numeric value 'abc'" in reasons
    assert (
        reasons.count("duplicate counter value (same ne_id, meas_obj_ldn, counter, period_end)")
        == 8
    )
    assert result.rows.height == 7 and result.rows_in == 16

    bad_time = tmp_path / "bad_time.xml"
    bad_time.write_text(NOKIA.read_text().replace("2024-01-01T01:15:00+01:00", "xyz"))
    result = pm_xml.parse(bad_time)
    assert [r.reason for r in result.rejects] == [
        "unparseable timestamp 'xyz' in granPeriod endTime"
    ]


def _block(text: str) -> str:
    start = text.index("<measData>")
    end = text.index("</measData>") + len("</measData>")
    return text[start:end]


@pytest.mark.parametrize(
    "content",
    [b"", b"<measCollecFile><measData>", b"\x1f\x8b\x08garbage", b'{"not": "xml"}', b"<other/>"],
)
def test_malformed_file_is_one_reject(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "bad.xml"
    path.write_bytes(content)
    result = pm_xml.parse(path)
    assert result.rows_in == 1 and result.rows.height == 0
    assert [r.record_ref for r in result.rejects] == ["<file>"]


def test_entities_are_not_expanded(tmp_path: Path) -> None:
    evil = (
        '<?xml version="1.0"?><!DOCTYPE m [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        + NOKIA.read_text().split("?>", 1)[1].replace("oss-nokia", "&x;", 1)
    )
    path = tmp_path / "evil.xml"
    path.write_text(evil)
    result = pm_xml.parse(path)  # must not read /etc/passwd nor raise
    assert "root:" not in str(result.rows["file_sender"].to_list())


# --- real files (tests/conformance/real/pm_xml, see its SOURCES.md) and the habits they show

REAL = Path(__file__).parents[1] / "conformance" / "real" / "pm_xml"
GOTCHAS = Path(__file__).parents[1] / "fixtures" / "gotchas"


@pytest.mark.parametrize(
    ("local_dn", "sender", "prefix", "label", "want"),
    [
        ("ManagedElement=1", "EM", "SubNetwork=1", "NE one", "ManagedElement=1"),
        ("", "EM", "SubNetwork=1", "NE one", "EM"),
        (None, " ", "SubNetwork=1", "NE one", "SubNetwork=1"),
        ("  ", None, "", "NE one", "NE one"),
        ("", None, None, None, None),
    ],
)
def test_element_name_fallback(
    local_dn: str | None, sender: str | None, prefix: str | None, label: str | None, want: str
) -> None:
    assert pm_xml.element_name(local_dn, sender, prefix, label) == want


def test_real_file_without_managed_element_is_named_by_file_sender() -> None:
    # ONAP pm-mapper: no managedElement; before the fallback its value was rejected for that,
    # now the element is fileSender "Dublin" and only the invalid duration rejects it.
    for name in ("pm-mapper_lte_no_managed_element.xml", "pm-mapper_nr_no_measured_entity.xml"):
        result = pm_xml.parse(REAL / name)
        assert [r.reason for r in result.rejects] == [
            "unparseable granPeriod duration 'some duration'"
        ]


def test_real_empty_meas_obj_ldn_is_the_managed_element() -> None:
    result = pm_xml.parse(REAL / "boda_pm_empty_measObjLdn.xml")
    assert result.rejects == [] and result.rows.height == 5
    assert result.rows["meas_obj_ldn"].unique().to_list() == ["NodeName"]
    assert result.rows["ne_id"].unique().to_list() == ["NodeName"]
    assert result.rows["time_zone_assumed"].all()  # "2000-03-01T15:00:00", no zone
    dots = result.rows.filter(pl.col("counter") == "...")
    assert dots["value_raw"].to_list() == ["..."] and dots["value"].is_null().all()


def test_real_offset_without_colon_and_compound_values() -> None:
    result = pm_xml.parse(REAL / "oran-ranpm_A20230515.0700_0100-0715_0100_GNODEB-0.xml")
    assert result.rejects == [] and result.rows.height == 2667
    assert result.rows["period_end_raw"].unique().to_list() == ["2023-05-15T07:15:00+0100"]
    assert result.rows["period_end_utc"].unique().to_list() == [
        datetime(2023, 5, 15, 6, 15, tzinfo=UTC)
    ]
    lists = result.rows.filter(pl.col("value_list").is_not_null())
    assert lists.height == 409 and lists["value"].is_null().all()
    row = lists.row(0, named=True)
    assert row["value_list"] == [float(v) for v in row["value_raw"].split(",")]


def test_real_all_blank_compound_values_are_null_bins_not_rejects() -> None:
    result = pm_xml.parse(REAL / "oran-ranpm_A20220418.1900-1915_seliitdus00487.xml")
    assert result.rejects == [] and result.rows.height == 2667
    blank = result.rows.filter(pl.col("value_raw").str.starts_with(","))
    assert blank.height == 4 and blank["value"].is_null().all()
    for raw, bins in zip(blank["value_raw"], blank["value_list"], strict=True):
        assert len(bins) == raw.count(",") + 1 and all(b is None for b in bins)


def test_partly_blank_compound_value(tmp_path: Path) -> None:
    path = tmp_path / "pdf.xml"
    path.write_text(NOKIA.read_text().replace(">63.25<", ">1,,3, <", 1))
    row = _value(pm_xml.parse(path).rows, "EUtranCellFDD=1", "RRU.PrbUsedDl")
    assert row["value"] is None and row["value_list"] == [1.0, None, 3.0, None]


def test_stylesheet_before_declaration_is_recovered_and_seconds_offset() -> None:
    result = pm_xml.parse(GOTCHAS / "pm_stylesheet_before_declaration.xml")
    assert result.rejects == [] and result.rows.height == 2
    row = result.rows.row(0, named=True)
    assert row["ne_id"] == "NE-S"  # managedElement localDn="": fileSender localDn
    assert row["period_end_utc"] == datetime(2024, 3, 1, 2, 15, tzinfo=UTC)  # +08:00:00
