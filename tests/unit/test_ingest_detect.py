"""Format detection from content: every landing format, gzip, long files, unknown -> None."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from orchestration.ingest.detect import HEAD_BYTES, detect_format

LANDING = Path(__file__).parents[1] / "fixtures" / "landing"
EXPECTED = {
    "inventory/cells.csv": "inventory_csv",
    "pm/oss-ericsson/A20240101.0000+0000-20240102.0000+0000_oss-ericsson.xml": "3gpp_pm_xml",
    "pm/oss-nokia/A20240101.0000+0000-20240102.0000+0000_oss-nokia.xml": "3gpp_pm_xml",
    "alarms/ves_faults_20240101.json": "ves_json",
    "customers/tmf629_customers.json": "tmf629_customer",
    "orders/tmf622_product_orders.json": "tmf622_product_order",
    "orders/tmf622_order_events_202401.json": "tmf622_order_event",
    "tickets/tmf621_trouble_tickets.json": "tmf621_trouble_ticket",
    "bills/tmf678_customer_bills_202401.json": "tmf678_customer_bill",
    "bills/tmf678_billing_rates_202401.json": "tmf678_billing_rate",
    "usage/tmf635_usage_20240101.json": "tmf635_usage",
    "surveys/survey_responses.csv": "survey_csv",
    "process_log/process_events.csv": "process_log_csv",
}


@pytest.mark.parametrize("rel,fmt", sorted(EXPECTED.items()))
def test_every_format(rel: str, fmt: str) -> None:
    assert detect_format(LANDING / rel) == fmt


@pytest.mark.parametrize("rel,fmt", sorted(EXPECTED.items()))
def test_content_not_name_decides(rel: str, fmt: str, tmp_path: Path) -> None:
    # Renamed and gzip-compressed: still recognised.
    target = tmp_path / "blob.bin"
    target.write_bytes(gzip.compress((LANDING / rel).read_bytes()))
    assert detect_format(target) == fmt


def test_long_json_detected_from_first_element(tmp_path: Path) -> None:
    usage = json.loads((LANDING / "usage/tmf635_usage_20240101.json").read_text())
    big = tmp_path / "big.json"
    big.write_text(json.dumps(usage * 2000))
    assert big.stat().st_size > HEAD_BYTES
    assert detect_format(big) == "tmf635_usage"
    ves = json.loads((LANDING / "alarms/ves_faults_20240101.json").read_text())
    big_ves = tmp_path / "big_ves.json"
    big_ves.write_text(json.dumps({"eventList": ves["eventList"] * 200}))
    assert big_ves.stat().st_size > HEAD_BYTES
    assert detect_format(big_ves) == "ves_json"


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"hello world\n",
        b"a,b,c\n1,2,3\n",
        b"<html><body/></html>",
        b"[]",
        b'[{"@type": "Banana"}]',
        b'{"foo": 1}',
        b"\x00\x01\x02binary",
        b"<measCollecFile",  # truncated tag
    ],
)
def test_unknown_is_none(content: bytes, tmp_path: Path) -> None:
    path = tmp_path / "x"
    path.write_bytes(content)
    assert detect_format(path) is None


@pytest.mark.parametrize(
    ("doc", "fmt"),
    [
        # a TMF641 create-request body: no id, no @type; items hold a `service`
        ({"orderItem": [{"id": "1", "action": "add", "service": {}}]}, "tmf641_service_order"),
        ([{"serviceOrderItem": [{"service": {"id": "s"}}]}], "tmf641_service_order"),
        # a TMF622 body holds a `product`: not a service order
        ({"orderItem": [{"id": "1", "product": {}}]}, None),
        ({"alarmRaisedTime": "2021-06-29T12:30:24Z", "state": "raised"}, "tmf642_alarm"),
        ({"perceivedSeverity": "major", "alarmType": "qualityOfServiceAlarm"}, "tmf642_alarm"),
    ],
)
def test_untyped_tmf_resource_recognised_by_shape(
    doc: object, fmt: str | None, tmp_path: Path
) -> None:
    path = tmp_path / "body.json"
    path.write_text(json.dumps(doc))
    assert detect_format(path) == fmt


@pytest.mark.parametrize(
    ("content", "fmt"),
    [
        (b'<?xml version="1.0"?>\n<OMeS>\n  <PMSetup interval="15"/>\n</OMeS>', "nokia_omes"),
        (b'<OMeS xmlns="pm/cnf_rnc_nsn.6.0.xsd"><PMSetup/></OMeS>', "nokia_omes"),
        # a DTD declaring entities: recognised from the root name, the reader then quarantines
        (b'<!DOCTYPE OMeS [<!ENTITY a "&b;">]><OMeS>&a;</OMeS>', "nokia_omes"),
        # a stylesheet instruction before the XML declaration (not well-formed as written)
        (
            b'<?xml-stylesheet type="text/xsl" href="m.xsl"?>\n<?xml version="1.0"?>\n'
            b"<measCollecFile/>",
            "3gpp_pm_xml",
        ),
        (b"<omes/>", None),  # names are case-sensitive
    ],
)
def test_xml_roots(content: bytes, fmt: str | None, tmp_path: Path) -> None:
    path = tmp_path / "x"
    path.write_bytes(content)
    assert detect_format(path) == fmt
    gz = tmp_path / "x.gz"
    gz.write_bytes(gzip.compress(content))
    assert detect_format(gz) == fmt
