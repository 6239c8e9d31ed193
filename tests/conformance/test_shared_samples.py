"""Conformance on the real public samples in <repo>/../shared/samples (skipped when absent).

Row counts below were checked by hand against the sample files (see SOURCES.md there).
"""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from orchestration.ingest.detect import detect_format
from orchestration.sources import PARSERS, pm_xml, ves_json

SAMPLES = (Path(__file__).resolve().parents[2] / ".." / "shared" / "samples").resolve()
PM = SAMPLES / "3gpp-pm"
VES = SAMPLES / "ves"

pytestmark = pytest.mark.skipif(not SAMPLES.is_dir(), reason=f"{SAMPLES} not present")


def _all_files() -> list[Path]:
    if not SAMPLES.is_dir():
        return []
    return sorted(p for p in SAMPLES.rglob("*") if p.is_file() and p.name != "SOURCES.md")


# (file, rows loaded, rows rejected) - counted by hand: measValues x counters.
PM_COUNTS = [
    ("boda_A1_measTypes-measResults.xml", 12, 0),
    ("boda_A3_multi-granPeriod_SGSN.xml", 10, 0),
    ("pm-mapper_32.435_measTypes_many_measValues.xml", 6, 0),
    ("pm-mapper_A20181002.0000-1000-0015-1000_5G.xml", 28, 0),
    ("pm-mapper_A20181002.0000-1000-0015-1000_5G.xml.gz", 28, 0),
    ("pm-mapper_C20190328.0000-0015_measTypes-measResults_multi-measData.xml", 12, 0),
    ("pm-mapper_PM202007171301+020024C202007171207+0200-1215+0200_45678_28.532.xml", 28, 0),
    ("pm-mapper_ABigFile_2measData.xml", 28, 28),  # second measData repeats the first
    ("pm-mapper_A_no_measdata.xml", 0, 0),  # empty ROP file: no rows, no error
]


@pytest.mark.parametrize(
    "name", [n for n, _, _ in PM_COUNTS] + ["pm-mapper_A_no_managed_element_INVALID.xml"]
)
def test_pm_samples_detected(name: str) -> None:
    assert detect_format(PM / name) == "3gpp_pm_xml"


def test_xsd_is_not_a_pm_file() -> None:
    assert detect_format(PM / "pm-mapper_measCollec_plusString.xsd") is None


@pytest.mark.parametrize("name,loaded,rejected", PM_COUNTS)
def test_pm_sample_counts(name: str, loaded: int, rejected: int) -> None:
    result = pm_xml.parse(PM / name)
    assert (result.rows.height, len(result.rejects)) == (loaded, rejected)


def test_pm_sample_details() -> None:
    five_g = pm_xml.parse(PM / "pm-mapper_A20181002.0000-1000-0015-1000_5G.xml").rows
    compound = five_g.filter(pl.col("value_raw") == "86,87,2,6,77,96,75,33,24")
    assert compound.height == 1 and compound["value"][0] is None  # kept raw, no float
    assert five_g["suspect"].sum() == 8
    # Period end from granPeriod (14:14:30+02:00), never from the footer (14:15).
    assert five_g["period_end_raw"].unique().to_list() == ["2000-03-01T14:14:30+02:00"]
    sgsn = pm_xml.parse(PM / "boda_A3_multi-granPeriod_SGSN.xml").rows
    assert sorted(sgsn["granularity_s"].unique().to_list()) == [900, 1800]
    multi = pm_xml.parse(
        PM / "pm-mapper_C20190328.0000-0015_measTypes-measResults_multi-measData.xml"
    ).rows
    assert sorted(multi["granularity_s"].unique().to_list()) == [100, 200, 300]
    assert sorted(multi["ne_id"].unique().to_list()) == ["Dublin1", "Dublin2", "Dublin3"]


def test_pm_invalid_sample_is_rejected() -> None:
    result = pm_xml.parse(PM / "pm-mapper_A_no_managed_element_INVALID.xml")
    assert result.rows.height == 0 and result.rejects
    assert result.rejects[0].reason == "measData without managedElement localDn"


@pytest.mark.parametrize(
    "name",
    ["onap-ves-collector_ves7_batch_valid.json", "onap-ves-collector_ves7_valid_30_1_1_event.json"],
)
def test_ves_fault_samples(name: str) -> None:
    assert detect_format(VES / name) == "ves_json"
    result = ves_json.parse(VES / name)
    assert result.rejects == [] and result.rows.height >= 1
    assert (result.rows["severity"] == "CRITICAL").all()


def test_ves_batch_details() -> None:
    rows = ves_json.parse(VES / "onap-ves-collector_ves7_batch_valid.json").rows
    assert rows["event_id"].to_list() == ["fault0000250", "fault0000251"]
    # A leading space in eventName is trimmed.
    assert rows["event_name"][1] == "Fault_Vscf:Acs-Ericcson_RecordingServerUnreachable"


def test_ves_other_domains_rejected_per_event() -> None:
    result = ves_json.parse(VES / "onap-ves-collector_ves_stdnDefined_valid.json")
    assert [r.reason for r in result.rejects] == ["unsupported VES domain 'stndDefined'"]


@pytest.mark.parametrize("path", _all_files(), ids=lambda p: p.name)
def test_nothing_raises(path: Path) -> None:
    fmt = detect_format(path)
    for parser in PARSERS:
        result = parser.parse(path)
        assert result.rows_in == result.rows.height + len(result.rejects)
        assert dict(result.rows.schema) == parser.SCHEMA
        if parser.FORMAT == fmt:
            assert result.rows_in >= 0


TMF_LISTS = [
    ("TMF629v5_Customer_list_example_response.json", "tmf629_customer"),
    ("TMF622v5_retrieveProductOrderByList_response.json", "tmf622_product_order"),
    ("TMF622v5_ProductOrderStateChangeEvent_request.json", "tmf622_order_event"),
    ("TMF621v5_TroubleTicket_list_example_response.json", "tmf621_trouble_ticket"),
    ("TMF678v5_CustomerBill_list_example_response.json", "tmf678_customer_bill"),
    ("TMF678v5_AppliedCustomerBillingRate_list_example_response.json", "tmf678_billing_rate"),
    ("TMF635v5_Product_Usage_retrieve_example_response.json", "tmf635_usage"),
]


@pytest.mark.parametrize("name,fmt", TMF_LISTS)
def test_tmf_examples_detected(name: str, fmt: str) -> None:
    assert detect_format(SAMPLES / "tmf" / "examples" / name) == fmt
