"""The closed loop on the demo operator against the simulator's truth (docs/kpi_definitions.md,
"Closed loop"): complaints linked to the quality incident that caused them, the proactive
notice list, and the contacts-avoided lever."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import duckdb
import pytest

from orchestration import paths

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]


def _truth(landing: Path) -> dict:
    return json.loads((landing / "truth.json").read_text(encoding="utf-8"))["planted"]["contacts"]


def _serving(data: Path) -> duckdb.DuckDBPyConnection:
    return duckdb.connect(str(paths.serving_path(data)), read_only=True)


def test_complaints_link_to_the_incident_that_caused_them(demo_build) -> None:
    landing, data = demo_build
    truth = _truth(landing)
    caused = {t["ticket_id"]: t for t in truth["tickets"]}
    with _serving(data) as con:
        linked = dict(con.sql("select ticket_id, cell_id from fct_incident_contacts").fetchall())
    assert linked
    # precision: a linked complaint was caused by a planted fault on the incident's cell
    right = [t for t, cell in linked.items() if t in caused and caused[t]["cell_id"] == cell]
    assert len(right) >= 0.95 * len(linked), (len(right), len(linked))
    # recall: complaints of customers whose home cell had the quality incident are all found
    # (a neighbour cell's users are seen only when their sampled usage shows that cell)
    home = {t for t, x in caused.items() if x["avoidable"] and x["home_cell"]}
    assert len(home) == truth["avoidable_home_cell"] > 0
    assert len(home & set(linked)) >= 0.95 * len(home), (len(home & set(linked)), len(home))
    # no complaint of a low_throughput degradation (no quality incident) is linked
    assert not [t for t in linked if t in caused and caused[t]["fault_kind"] == "low_throughput"]


def test_notices_reach_the_affected_customers_pseudonymised(demo_build) -> None:
    landing, data = demo_build
    with _serving(data) as con:
        per_incident = dict(
            con.sql(
                "select i.incident_id, count(n.customer_key) from fct_incidents i "
                "left join srv_proactive_notices n on n.incident_id = i.incident_id "
                "where i.is_quality_incident group by 1"
            ).fetchall()
        )
        notices = con.sql(
            "select customer_key, channel, message from srv_proactive_notices"
        ).fetchall()
        contacts = con.sql(
            "select count(*) from fct_incident_contacts c join srv_proactive_notices n "
            "on n.incident_id = c.incident_id and n.customer_key = "
            "'ps_' || substr(sha256('itot-public-demo-key-NOT-A-SECRET|' || c.customer_id), 1, 24)"
        ).fetchone()[0]
        linked = con.sql("select count(*) from fct_incident_contacts").fetchone()[0]
    assert per_incident and all(n > 0 for n in per_incident.values()), per_incident
    assert all(re.fullmatch(r"ps_[0-9a-f]{24}", key) for key, _c, _m in notices)
    assert {c for _k, c, _m in notices} <= {"sms", "email", "account_manager"}
    # the message is the template with every placeholder filled, and names nobody
    raw = (landing / "customers" / "tmf629_customers.json").read_text(encoding="utf-8")
    personal = set(re.findall(r'"(?:emailAddress|phoneNumber|name)":"([^"]+)"', raw))
    assert personal
    for _k, _c, message in notices:
        assert "{" not in message and "CUST-" not in message
        assert not any(p in message for p in personal)
    # every linked complaint's customer was on the incident's notice list
    assert contacts == linked


def test_contacts_avoided_lever_between_what_the_data_shows_and_the_truth(demo_build) -> None:
    landing, data = demo_build
    truth = _truth(landing)
    seed = ROOT / "dbt_project" / "seeds" / "roi_assumptions.csv"
    with open(seed, newline="") as f:
        a = {r["assumption"]: float(r["value"]) for r in csv.DictReader(f)}
    with _serving(data) as con:
        benefit, avoided, avoidable = con.sql(
            "select sum(benefit), sum(contacts_avoided), sum(avoidable_contacts) "
            "from kpi_contacts_avoided_monthly"
        ).fetchone()
    assert avoidable > 0
    assert avoided == pytest.approx(avoidable * a["notice_deflection_share"])
    assert benefit == pytest.approx(avoided * a["cost_per_contact"])
    # what the data can show (home-cell customers) <= platform <= all the faults caused
    per_contact = a["notice_deflection_share"] * a["cost_per_contact"]
    assert truth["contacts_avoided_value"] == pytest.approx(truth["avoidable"] * per_contact)
    assert 0.95 * truth["avoidable_home_cell"] * per_contact <= benefit
    assert benefit <= truth["contacts_avoided_value"]
