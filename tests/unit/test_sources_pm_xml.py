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
