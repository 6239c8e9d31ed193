# ruff: noqa: E501 - the sample file names are long
"""Conformance on the real public samples in <repo>/../shared/samples (skipped when absent).

Every file there is covered: each valid file parses with the row count checked by hand (PM:
measValues x measTypes; VES: events, or counter values for perf3gpp/measurement), each invalid
one is rejected with a specific reason while the rest of its batch loads, and the files of no
landing format (XSD, JSON schema, OpenAPI specs, JSON-patch bodies) are "unrecognised".
"""

from __future__ import annotations

import shutil
from pathlib import Path

import polars as pl
import pytest

from orchestration.ingest.detect import detect_format
from orchestration.ingest.landing import scan_landing
from orchestration.ingest.ledger import read_ledger
from orchestration.ingest.run import ingest_dataset
from orchestration.sources import BY_FORMAT, DATASETS, PARSERS, parse_all, pm_xml, ves_json

SAMPLES = (Path(__file__).resolve().parents[2] / ".." / "shared" / "samples").resolve()
PM = SAMPLES / "3gpp-pm"
VES = SAMPLES / "ves"
TMF = SAMPLES / "tmf" / "examples"
DUP = "duplicate counter value (same ne_id, meas_obj_ldn, counter, period_end)"

pytestmark = pytest.mark.skipif(not SAMPLES.is_dir(), reason=f"{SAMPLES} not present")


def _all_files() -> list[Path]:
    if not SAMPLES.is_dir():
        return []
    return sorted(p for p in SAMPLES.rglob("*") if p.is_file() and p.name != "SOURCES.md")


# file -> (format, {dataset: (rows loaded, rows rejected, a reject reason or None)})
PM_VES: dict[str, tuple[str | None, dict]] = {
    "3gpp-pm/boda_A1_measTypes-measResults.xml": ("3gpp_pm_xml", {"pm_counters": (12, 0, None)}),
    "3gpp-pm/boda_A3_multi-granPeriod_SGSN.xml": ("3gpp_pm_xml", {"pm_counters": (10, 0, None)}),
    "3gpp-pm/pm-mapper_32.435_measTypes_many_measValues.xml": (
        "3gpp_pm_xml",
        {"pm_counters": (6, 0, None)},
    ),
    "3gpp-pm/pm-mapper_A20181002.0000-1000-0015-1000_5G.xml": (
        "3gpp_pm_xml",
        {"pm_counters": (28, 0, None)},
    ),
    "3gpp-pm/pm-mapper_A20181002.0000-1000-0015-1000_5G.xml.gz": (
        "3gpp_pm_xml",
        {"pm_counters": (28, 0, None)},
    ),
    "3gpp-pm/pm-mapper_C20190328.0000-0015_measTypes-measResults_multi-measData.xml": (
        "3gpp_pm_xml",
        {"pm_counters": (12, 0, None)},
    ),
    "3gpp-pm/pm-mapper_PM202007171301+020024C202007171207+0200-1215+0200_45678_28.532.xml": (
        "3gpp_pm_xml",
        {"pm_counters": (28, 0, None)},
    ),
    # the second measData repeats the first: de-duplicated, the repeats quarantined
    "3gpp-pm/pm-mapper_ABigFile_2measData.xml": ("3gpp_pm_xml", {"pm_counters": (28, 28, DUP)}),
    "3gpp-pm/pm-mapper_A_no_measdata.xml": ("3gpp_pm_xml", {"pm_counters": (0, 0, None)}),
    # no managedElement: the element is fileSender localDn "Dublin"; its one measValue (3
    # counters) is still quarantined, for its granPeriod duration "some duration"
    "3gpp-pm/pm-mapper_A_no_managed_element_INVALID.xml": (
        "3gpp_pm_xml",
        {"pm_counters": (0, 1, "unparseable granPeriod duration 'some duration'")},
    ),
    "3gpp-pm/pm-mapper_measCollec_plusString.xsd": (None, {}),
    "ves/onap-ves-collector_ves7_batch_valid.json": ("ves_json", {"alarm_events": (2, 0, None)}),
    "ves/onap-ves-collector_ves7_valid_30_1_1_event.json": (
        "ves_json",
        {"alarm_events": (1, 0, None)},
    ),
    # NotifyNewAlarm with eventTime "xyz": loaded, header time kept, flagged time_suspect
    "ves/onap-ves-collector_ves_stdnDefined_valid.json": (
        "ves_json",
        {"alarm_events": (1, 0, None)},
    ),
    "ves/onap-heartbeat_test1.json": ("ves_json", {"ves_events": (1, 0, None)}),
    # epoch 8745745764578 (ms -> year 2247): loaded, flagged time_suspect
    "ves/onap-dcaegen2-docs_dfc_fileReady_notification.json": (
        "ves_json",
        {"ves_events": (1, 0, None)},
    ),
    # 3 measTypes x 15 measValues; 34 r present, 11 missing r are NULL values
    "ves/onap-kpi-ms_perf3gpp_ves_message_slicing.json": (
        "ves_json",
        {"pm_counters": (45, 0, None)},
    ),
    # cpu 12 + 4 x 5, nic 2 x 10, memory 7 (identifiers and valuesAreSuspect are not values)
    "ves/onap-ves-collector_measurement7x.json": ("ves_json", {"pm_counters": (59, 0, None)}),
    # VES 5: additionalMeasurements 6 + vNicPerformanceArray 6
    "ves/onap-tca-gen2_cef_message.json": ("ves_json", {"pm_counters": (12, 0, None)}),
    "ves/onap-ves-collector_CommonEventFormat_30.2.1_ONAP.schema.json": (None, {}),
}

# tmf/examples: file -> (format, rows loaded, rows rejected, first reject reason) or None
# (request bodies without id, JSON-patch documents, resources with no landing format).
TMF_EXAMPLES: dict[str, tuple | None] = {
    "TMF621v5_TroubleTicketAttributeValueChangeEvent_request.json": ("tmf_event", 1, 0, None),
    "TMF621v5_TroubleTicketCreateEvent_request.json": ("tmf_event", 1, 0, None),
    "TMF621v5_TroubleTicketDeleteEvent_request.json": ("tmf_event", 1, 0, None),
    "TMF621v5_TroubleTicketInformationRequiredEvent_request.json": ("tmf_event", 1, 0, None),
    "TMF621v5_TroubleTicketResolvedEvent_request.json": ("tmf_event", 1, 0, None),
    "TMF621v5_TroubleTicketSpecificationAttributeValueChangeEvent_request.json": (
        "tmf_event",
        1,
        0,
        None,
    ),
    "TMF621v5_TroubleTicketSpecificationCreateEvent_request.json": ("tmf_event", 1, 0, None),
    "TMF621v5_TroubleTicketSpecificationDeleteEvent_request.json": ("tmf_event", 1, 0, None),
    "TMF621v5_TroubleTicketSpecificationStatusChangeEvent_request.json": ("tmf_event", 1, 0, None),
    "TMF621v5_TroubleTicketSpecification_create_example_request.json": None,
    "TMF621v5_TroubleTicketSpecification_create_example_response.json": None,
    "TMF621v5_TroubleTicketSpecification_list_example_response.json": None,
    "TMF621v5_TroubleTicketSpecification_partialupdate_application_json_patch_query_request.json": None,
    "TMF621v5_TroubleTicketSpecification_partialupdate_application_json_patch_query_response.json": None,
    "TMF621v5_TroubleTicketSpecification_partialupdate_application_json_patch_request.json": None,
    "TMF621v5_TroubleTicketSpecification_partialupdate_application_json_patch_response.json": None,
    "TMF621v5_TroubleTicketSpecification_partialupdate_application_json_request.json": None,
    "TMF621v5_TroubleTicketSpecification_partialupdate_application_json_response.json": None,
    "TMF621v5_TroubleTicketSpecification_partialupdate_application_merge_json_request.json": None,
    "TMF621v5_TroubleTicketSpecification_partialupdate_application_merge_json_response.json": None,
    "TMF621v5_TroubleTicketSpecification_retrieve_example_response.json": None,
    "TMF621v5_TroubleTicketSpecification_with_filter_and_fields_list_example_response.json": None,
    "TMF621v5_TroubleTicketStatusChangeEvent_request.json": ("tmf_event", 1, 0, None),
    "TMF621v5_TroubleTicket_create_example_request.json": (
        "tmf621_trouble_ticket",
        0,
        1,
        "missing creationDate",
    ),
    "TMF621v5_TroubleTicket_create_example_response.json": ("tmf621_trouble_ticket", 1, 0, None),
    "TMF621v5_TroubleTicket_list_example_response.json": ("tmf621_trouble_ticket", 2, 0, None),
    "TMF621v5_TroubleTicket_list_with_filter_and_fields_example_response.json": (
        "tmf621_trouble_ticket",
        0,
        3,
        "missing creationDate",
    ),
    "TMF621v5_TroubleTicket_listener_troubleTicketCreateEvent_POST_204_1_request.json": (
        "tmf_event",
        0,
        1,
        "unexpected eventType 'CXJAD'",
    ),
    "TMF621v5_TroubleTicket_partialupdate_example_application_json_patch_query_request.json": None,
    "TMF621v5_TroubleTicket_partialupdate_example_application_json_patch_query_response.json": (
        "tmf621_trouble_ticket",
        1,
        0,
        None,
    ),
    "TMF621v5_TroubleTicket_partialupdate_example_application_json_patch_request.json": None,
    "TMF621v5_TroubleTicket_partialupdate_example_application_json_patch_response.json": (
        "tmf621_trouble_ticket",
        1,
        0,
        None,
    ),
    "TMF621v5_TroubleTicket_partialupdate_example_application_json_request.json": (
        "tmf621_trouble_ticket",
        0,
        1,
        "missing creationDate",
    ),
    "TMF621v5_TroubleTicket_partialupdate_example_application_json_response.json": (
        "tmf621_trouble_ticket",
        1,
        0,
        None,
    ),
    "TMF621v5_TroubleTicket_partialupdate_example_application_merge_json_request.json": (
        "tmf621_trouble_ticket",
        0,
        1,
        "missing creationDate",
    ),
    "TMF621v5_TroubleTicket_partialupdate_example_application_merge_json_response.json": (
        "tmf621_trouble_ticket",
        1,
        0,
        None,
    ),
    "TMF621v5_TroubleTicket_retrieve_example_response.json": ("tmf621_trouble_ticket", 1, 0, None),
    "TMF622v5_CancelProductOrderCreateEvent_request.json": (
        "tmf622_order_event",
        0,
        1,
        "unexpected @type 'CancelCancelProductOrderCreateEvent' (expected ProductOrder…Event)",
    ),
    "TMF622v5_CancelProductOrderInformationRequiredEvent_request.json": (
        "tmf622_order_event",
        0,
        1,
        "missing event.productOrder",
    ),
    "TMF622v5_CancelProductOrderStateChangeEvent_request.json": (
        "tmf622_order_event",
        0,
        1,
        "missing event.productOrder",
    ),
    "TMF622v5_CreateCancelProductOrder_request.json": None,
    "TMF622v5_CreateCancelProductOrder_response.json": None,
    "TMF622v5_CreateProductOrder1_request.json": ("tmf622_product_order", 0, 1, "missing id"),
    "TMF622v5_CreateProductOrder1_response.json": ("tmf622_product_order", 1, 0, None),
    "TMF622v5_CreateProductOrder2_request.json": ("tmf622_product_order", 0, 1, "missing id"),
    "TMF622v5_CreateProductOrder2_response.json": ("tmf622_product_order", 1, 0, None),
    "TMF622v5_CreateProductOrder_with_intent_specification_request.json": (
        "tmf622_product_order",
        0,
        1,
        "missing id",
    ),
    "TMF622v5_CreateProductOrder_with_intent_specification_response.json": (
        "tmf622_product_order",
        1,
        0,
        None,
    ),
    "TMF622v5_ProductOrderAttributeValueChangeEvent_request.json": (
        "tmf622_order_event",
        1,
        0,
        None,
    ),
    "TMF622v5_ProductOrderCreateEvent_request.json": ("tmf622_order_event", 1, 0, None),
    "TMF622v5_ProductOrderDeleteEvent_request.json": ("tmf622_order_event", 1, 0, None),
    "TMF622v5_ProductOrderErrorMessageEvent_request.json": ("tmf622_order_event", 1, 0, None),
    "TMF622v5_ProductOrderInformationRequiredEvent_request.json": (
        "tmf622_order_event",
        1,
        0,
        None,
    ),
    "TMF622v5_ProductOrderJeopardyAlertEvent_request.json": ("tmf622_order_event", 1, 0, None),
    "TMF622v5_ProductOrderMilestoneEvent_request.json": ("tmf622_order_event", 1, 0, None),
    "TMF622v5_ProductOrderStateChangeEvent_request.json": ("tmf622_order_event", 1, 0, None),
    "TMF622v5_retrieveCancelProductOrderById_response.json": None,
    "TMF622v5_retrieveCancelProductOrderList_response.json": None,
    "TMF622v5_retrieveCancelProductOrderListwithFieldsSelection_response.json": None,
    "TMF622v5_retrieveProductOrderById1_response.json": ("tmf622_product_order", 1, 0, None),
    "TMF622v5_retrieveProductOrderById2_response.json": ("tmf622_product_order", 1, 0, None),
    "TMF622v5_retrieveProductOrderByList_response.json": ("tmf622_product_order", 2, 0, None),
    "TMF622v5_retrieveProductOrderByListwith_FieldsSelection_response.json": (
        "tmf622_product_order",
        0,
        4,
        "missing creationDate",
    ),
    "TMF622v5_updateProductOrder_using_application-json_request.json": (
        "tmf622_product_order",
        0,
        1,
        "missing id",
    ),
    "TMF622v5_updateProductOrder_using_application-json_response.json": (
        "tmf622_product_order",
        1,
        0,
        None,
    ),
    "TMF622v5_updateProductOrder_using_json-patch_json_request.json": None,
    "TMF622v5_updateProductOrder_using_json-patch_json_response.json": (
        "tmf622_product_order",
        1,
        0,
        None,
    ),
    "TMF622v5_updateProductOrder_using_json-patch_query_request.json": None,
    "TMF622v5_updateProductOrder_using_json-patch_query_response.json": (
        "tmf622_product_order",
        1,
        0,
        None,
    ),
    "TMF622v5_updateProductOrder_using_merge-patch_json_request.json": (
        "tmf622_product_order",
        0,
        1,
        "missing id",
    ),
    "TMF622v5_updateProductOrder_using_merge-patch_json_response.json": (
        "tmf622_product_order",
        1,
        0,
        None,
    ),
    "TMF629v5_Create_Cusomter_Notification_Event_request.json": ("tmf_event", 1, 0, None),
    "TMF629v5_Customer_Attribute_Value_Change_Notification_Event_request.json": (
        "tmf_event",
        1,
        0,
        None,
    ),
    "TMF629v5_Customer_Create_example_request.json": ("tmf629_customer", 0, 1, "missing id"),
    "TMF629v5_Customer_Create_example_response.json": ("tmf629_customer", 1, 0, None),
    "TMF629v5_Customer_State_Change_Notification_Event_request.json": ("tmf_event", 1, 0, None),
    "TMF629v5_Customer_Update_example_JSON-PATCH-QUERY__request.json": None,
    "TMF629v5_Customer_Update_example_JSON-PATCH-QUERY__response.json": (
        "tmf629_customer",
        1,
        0,
        None,
    ),
    "TMF629v5_Customer_Update_example_JSON-PATCH__request.json": None,
    "TMF629v5_Customer_Update_example_JSON-PATCH__response.json": ("tmf629_customer", 1, 0, None),
    "TMF629v5_Customer_Update_example_Merge__request.json": ("tmf629_customer", 0, 1, "missing id"),
    "TMF629v5_Customer_Update_example_Merge__response.json": ("tmf629_customer", 1, 0, None),
    "TMF629v5_Customer_Update_example_application-json__request.json": (
        "tmf629_customer",
        0,
        1,
        "missing id",
    ),
    "TMF629v5_Customer_Update_example_application-json__response.json": (
        "tmf629_customer",
        1,
        0,
        None,
    ),
    "TMF629v5_Customer_list_example_response.json": ("tmf629_customer", 1, 0, None),
    "TMF629v5_Customer_retrieve_example_response.json": ("tmf629_customer", 1, 0, None),
    "TMF629v5_Delete_Cusomter_Notification_Event_request.json": ("tmf_event", 1, 0, None),
    "TMF635v5_ProductUsage_Create_example_request.json": ("tmf635_usage", 0, 1, "missing id"),
    "TMF635v5_Product_Usage_retrieve_example_response.json": ("tmf635_usage", 1, 0, None),
    "TMF678v5_AppliedCustomerBillingRate_list_example_response.json": (
        "tmf678_billing_rate",
        2,
        0,
        None,
    ),
    "TMF678v5_AppliedCustomerBillingRate_retrieve_example_response.json": (
        "tmf678_billing_rate",
        1,
        0,
        None,
    ),
    "TMF678v5_BillCycle_list_example_response.json": None,
    "TMF678v5_BillCycle_retrieve_example_response.json": None,
    "TMF678v5_CustomerBillCreateEvent_request.json": ("tmf_event", 1, 0, None),
    "TMF678v5_CustomerBillOnDemandCreateEvent_request.json": ("tmf_event", 1, 0, None),
    "TMF678v5_CustomerBillOnDemandStateChangeEvent_request.json": ("tmf_event", 1, 0, None),
    "TMF678v5_CustomerBillOnDemand_create_example_request.json": None,
    "TMF678v5_CustomerBillOnDemand_create_example_response.json": None,
    "TMF678v5_CustomerBillOnDemand_list_example_response.json": None,
    "TMF678v5_CustomerBillOnDemand_retrieve_example_response.json": None,
    "TMF678v5_CustomerBillStateChangeEvent_request.json": ("tmf_event", 1, 0, None),
    "TMF678v5_CustomerBill_list_example_response.json": (
        "tmf678_customer_bill",
        0,
        2,
        "missing billDate",
    ),
    "TMF678v5_CustomerBill_retrieve_example_response.json": (
        "tmf678_customer_bill",
        0,
        1,
        "missing billDate",
    ),
    "TMF678v5_Customer_Bill_Update_Implied_Merge_request.json": (
        "tmf678_customer_bill",
        0,
        1,
        "missing id",
    ),
    "TMF678v5_Customer_Bill_Update_Implied_Merge_response.json": (
        "tmf678_customer_bill",
        1,
        0,
        None,
    ),
    "TMF678v5_Customer_Bill_Update_JSON_Patch_Query_request.json": None,
    "TMF678v5_Customer_Bill_Update_JSON_Patch_Query_response.json": (
        "tmf678_customer_bill",
        1,
        0,
        None,
    ),
    "TMF678v5_Customer_Bill_Update_JSON_Patch_request.json": None,
    "TMF678v5_Customer_Bill_Update_JSON_Patch_response.json": ("tmf678_customer_bill", 1, 0, None),
    "TMF678v5_Customer_Bill_Update_Patch_Merge_request.json": (
        "tmf678_customer_bill",
        0,
        1,
        "missing id",
    ),
    "TMF678v5_Customer_Bill_Update_Patch_Merge_response.json": ("tmf678_customer_bill", 1, 0, None),
}


def _check(path: Path, fmt: str | None, expected: dict) -> None:
    assert detect_format(path) == fmt
    if fmt is None:
        return
    results = parse_all(BY_FORMAT[fmt], path)
    got = {}
    for dataset, res in results.items():
        assert res.rows_in == res.rows.height + len(res.rejects)
        if res.rows_in or dataset in expected:
            reasons = sorted({r.reason for r in res.rejects})
            got[dataset] = (res.rows.height, len(res.rejects), reasons[0] if reasons else None)
    assert got == expected


@pytest.mark.parametrize("rel", sorted(PM_VES))
def test_pm_and_ves_samples(rel: str) -> None:
    fmt, expected = PM_VES[rel]
    _check(SAMPLES / rel, fmt, expected)


@pytest.mark.parametrize("name", sorted(TMF_EXAMPLES))
def test_tmf_examples(name: str) -> None:
    spec = TMF_EXAMPLES[name]
    if spec is None:
        _check(TMF / name, None, {})
        return
    fmt, loaded, rejected, reason = spec
    dataset = BY_FORMAT[fmt].DATASET
    _check(TMF / name, fmt, {dataset: (loaded, rejected, reason)})


def test_every_sample_is_covered() -> None:
    covered = {SAMPLES / rel for rel in PM_VES} | {TMF / n for n in TMF_EXAMPLES}
    specs = {p for p in _all_files() if "specs" in p.parts}
    assert set(_all_files()) - specs == covered
    for spec in specs:  # OpenAPI / swagger documents are not landing files
        assert detect_format(spec) is None


def test_pm_sample_details() -> None:
    five_g = pm_xml.parse(PM / "pm-mapper_A20181002.0000-1000-0015-1000_5G.xml").rows
    compound = five_g.filter(pl.col("value_raw") == "86,87,2,6,77,96,75,33,24")
    assert compound.height == 1 and compound["value"][0] is None  # kept raw, no float
    assert compound["value_list"][0].to_list() == [86, 87, 2, 6, 77, 96, 75, 33, 24]
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
    nr = pm_xml.parse(
        PM / "pm-mapper_PM202007171301+020024C202007171207+0200-1215+0200_45678_28.532.xml"
    ).rows
    assert nr["source_format"].unique().to_list() == ["28.532"]
    gz = pm_xml.parse(PM / "pm-mapper_A20181002.0000-1000-0015-1000_5G.xml.gz").rows
    assert gz.equals(five_g)


def test_ves_details() -> None:
    rows = ves_json.parse(VES / "onap-ves-collector_ves7_batch_valid.json").rows
    assert rows["event_id"].to_list() == ["fault0000250", "fault0000251"]
    assert rows["event_name"][1] == "Fault_Vscf:Acs-Ericcson_RecordingServerUnreachable"
    assert (rows["severity"] == "CRITICAL").all()
    stnd = ves_json.parse(VES / "onap-ves-collector_ves_stdnDefined_valid.json").rows.row(
        0, named=True
    )
    assert stnd["severity"] == "INDETERMINATE" and stnd["time_suspect"]
    assert stnd["event_time_raw"] == "xyz" and stnd["alarm_id"] == "1"
    ready = ves_json.parse_all(VES / "onap-dcaegen2-docs_dfc_fileReady_notification.json")
    event = ready["ves_events"].rows.row(0, named=True)
    assert event["time_suspect"] and event["time_zone_offset_min"] == 330
    perf = ves_json.parse_all(VES / "onap-kpi-ms_perf3gpp_ves_message_slicing.json")
    pm = perf["pm_counters"].rows
    assert pm["granularity_s"].unique().to_list() == [900]
    assert pm["value"].null_count() == 11 and pm["value_raw"].null_count() == 11


@pytest.mark.parametrize("path", _all_files(), ids=lambda p: p.name)
def test_nothing_raises(path: Path) -> None:
    for parser in PARSERS:
        for res in parse_all(parser, path).values():
            assert res.rows_in == res.rows.height + len(res.rejects)


def test_samples_as_one_landing_zone(tmp_path: Path) -> None:
    """All samples in one landing zone: the run never crashes and the ledger adds up."""
    landing, data = tmp_path / "landing", tmp_path / "data"
    shutil.copytree(SAMPLES, landing)
    (landing / "SOURCES.md").unlink()
    scan_landing(landing, data)
    for dataset in DATASETS:
        ingest_dataset(dataset, landing, data)
    ledger = read_ledger(data)
    assert (ledger["rows_in"] == ledger["rows_loaded"] + ledger["rows_quarantined"]).all()
    assert ledger["file_path"].n_unique() == len(_all_files())
