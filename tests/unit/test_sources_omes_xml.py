"""Nokia OMeS reader: a real NetAct-style file and the habits of the format, into pm_counters."""

from __future__ import annotations

import gzip
from datetime import UTC, datetime
from pathlib import Path

import polars as pl
import pytest

from orchestration.ingest.detect import detect_format
from orchestration.ingest.landing import scan_landing
from orchestration.ingest.ledger import read_ledger
from orchestration.ingest.run import ingest_dataset
from orchestration.sources import BY_FORMAT, formats_for_dataset, omes_xml, pm_xml

REAL = Path(__file__).parents[1] / "conformance" / "real" / "omes"
FIX = Path(__file__).parents[1] / "fixtures" / "omes"
DUP = "duplicate counter value (same ne_id, meas_obj_ldn, counter, period_end)"


def test_registered_and_detected_for_pm_counters() -> None:
    assert BY_FORMAT["nokia_omes"] is omes_xml
    assert "nokia_omes" in formats_for_dataset("pm_counters")
    assert omes_xml.SCHEMA == pm_xml.SCHEMA and omes_xml.DATASET == pm_xml.DATASET
    assert detect_format(REAL / "boda-nokia_pm.xml") == "nokia_omes"
    assert detect_format(FIX / "omes_multi_dn.xml") == "nokia_omes"


def test_real_file_base_id_seconds_offset_and_repeated_counter() -> None:
    # bodastage/boda-nokiapmdataparser: MO as baseId/localMoid, startTime -05:00:00, interval 60,
    # the counter M00001 written 5 times for the same object and period.
    result = omes_xml.parse(REAL / "boda-nokia_pm.xml")
    assert dict(result.rows.schema) == omes_xml.SCHEMA
    assert result.rows.height == 1 and result.rows_in == 5
    assert [r.reason for r in result.rejects] == [DUP] * 4
    row = result.rows.row(0, named=True)
    assert row["ne_id"] == "NE-MRBTS-1111"
    assert row["meas_obj_ldn"] == "NE-MRBTS-1111/DN:NE-LNBTS-1111"
    assert row["meas_info_id"] == "LTE_S1AP" and row["counter"] == "M00001"
    assert row["value"] == 1111.0 and row["granularity_s"] == 3600
    assert row["period_end_utc"] == datetime(2029, 3, 16, 3, 0, tzinfo=UTC)  # 21:00-05 + 1 h
    assert row["period_end_raw"] == "2029-03-15T21:00:00.000-05:00:00/PT60M"
    assert row["source_format"] == "omes" and not row["time_zone_assumed"]
    assert result.record_refs.to_list() == ["PMSetup[1]/PMMOResult[1]/NE-WBTS_7.7[1]"]


def test_several_mo_dn_name_one_object_in_order() -> None:
    result = omes_xml.parse(FIX / "omes_multi_dn.xml")
    rows = result.rows
    cell = "PLMN-PLMN/RNC-10/WBTS-20/WCEL-30"
    one = rows.filter(pl.col("meas_obj_ldn") == f"{cell};PLMN-PLMN/MCC-999/MNC-01")
    two = rows.filter(pl.col("meas_obj_ldn") == f"{cell};PLMN-PLMN/MCC-999/MNC-02")
    # same first DN, another second DN: a different object, not a duplicate
    assert one.height == 4 and two.height == 1 and two["value"].to_list() == [2.0]
    assert set(rows["ne_id"]) == {"PLMN-PLMN/RNC-10", "PLMN-PLMN/MRBTS-7"}
    by = {r["counter"]: r for r in one.iter_rows(named=True)}
    assert by["M1017C12"]["value"] == 13.44
    assert by["M1017C13"]["value"] is None and by["M1017C13"]["value_raw"] == ""
    assert by["M1017C14"]["value"] is None and by["M1017C14"]["value_list"] == [0.0, 2.0, 5.0, None]
    assert by["M1017C11"]["period_end_utc"] == datetime(2024, 3, 1, 2, 0, tzinfo=UTC)  # +08:00:00
    assert by["M1017C11"]["granularity_s"] == 3600
    reasons = sorted((r.record_ref, r.reason) for r in result.rejects)
    assert reasons == [
        ("PMSetup[1]/PMMOResult[3]/NE-WBTS_1.0[1]/M8001C7", "non-numeric value 'abc'"),
        ("PMSetup[1]/PMMOResult[4]/PMTarget[1]/M1C1", "PMMOResult without MO DN"),
        ("PMSetup[1]/PMMOResult[4]/PMTarget[1]/M1C2", "PMMOResult without MO DN"),
        (
            "PMSetup[2]/PMMOResult[1]/PMTarget[1]/M2C1",
            "unparseable PMSetup interval 'fifteen' (minutes)",
        ),
    ]
    assert rows.height == 6 and result.rows_in == rows.height + len(result.rejects) == 10


def test_gzip(tmp_path: Path) -> None:
    path = tmp_path / "omes.xml.gz"
    path.write_bytes(gzip.compress((REAL / "boda-nokia_pm.xml").read_bytes()))
    assert detect_format(path) == "nokia_omes"
    assert omes_xml.parse(path).rows.height == 1


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"<OMeS><PMSetup>", "not well-formed XML"),
        (b"<other/>", "not an OMeS file (root element 'other')"),
        (
            b'<?xml version="1.0"?><!DOCTYPE OMeS [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
            b"<OMeS>&x;</OMeS>",
            "external entity reference",
        ),
        (
            b'<?xml version="1.0"?><!DOCTYPE OMeS [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;">]>'
            b"<OMeS>&b;</OMeS>",
            "possible entity expansion attack",
        ),
        (b"\x1f\x8b\x08garbage", "unreadable file"),
    ],
)
def test_bad_file_is_one_reject(tmp_path: Path, content: bytes, reason: str) -> None:
    path = tmp_path / "bad.xml"
    path.write_bytes(content)
    result = omes_xml.parse(path)
    assert result.rows_in == 1 and result.rows.height == 0
    assert [r.record_ref for r in result.rejects] == ["<file>"]
    assert reason in result.rejects[0].reason


def test_stylesheet_before_declaration(tmp_path: Path) -> None:
    path = tmp_path / "styled.xml"
    path.write_bytes(
        b'<?xml-stylesheet href="omes.xsl"?>\n' + (REAL / "boda-nokia_pm.xml").read_bytes()
    )
    assert detect_format(path) == "nokia_omes"
    assert omes_xml.parse(path).rows.height == 1


def test_ingest_writes_omes_rows_to_pm_counters_bronze(tmp_path: Path) -> None:
    """OMeS files land in pm_counters beside 3GPP PM XML, and every record is accounted for."""
    landing, data = tmp_path / "landing", tmp_path / "data"
    (landing / "netact").mkdir(parents=True)
    (landing / "netact" / "a.xml").write_bytes((FIX / "omes_multi_dn.xml").read_bytes())
    (landing / "netact" / "b.xml.gz").write_bytes(
        gzip.compress((FIX / "omes_multi_dn.xml").read_bytes().replace(b"MNC-0", b"MNC-9"))
    )
    scan_landing(landing, data)
    ingest_dataset("pm_counters", landing, data)
    ledger = read_ledger(data)
    assert (ledger["rows_in"] == ledger["rows_loaded"] + ledger["rows_quarantined"]).all()
    assert sorted(ledger["rows_loaded"].to_list()) == [6, 6]
    bronze = pl.read_parquet(data / "bronze" / "pm_counters" / "**" / "*.parquet")
    assert bronze.height == 12 and set(bronze["source_format"]) == {"omes"}
    assert bronze.filter(pl.col("meas_obj_ldn").str.ends_with("MNC-91")).height == 4
