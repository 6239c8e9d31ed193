"""AppTest checks of the Predict and act page against the demo operator (session fixture
`demo_build`): the notices and the contacts-avoided lever equal the snapshot's marts and
truth's bounds, the filters change them, an incident in the URL shows its messages."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

pytestmark = pytest.mark.usefixtures("fresh_streamlit_cache")

APP = Path(__file__).resolve().parents[2] / "dashboards" / "app.py"
PAGE = "views/predict_act.py"


def run_page(**query_params: str | list[str]) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=90)
    at.query_params.update(query_params)
    at.switch_page(PAGE)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    return at


def exact(at: AppTest, label: str) -> float:
    tiles = {m.label: m for m in at.metric}
    match = re.search(r"Exact: (-?\d+(?:\.\d+)?)", tiles[label].help or "")
    assert match, tiles[label].help
    return float(match.group(1))


def one(serving: Path, sql: str, params: list | None = None):
    with duckdb.connect(str(serving), read_only=True) as con:
        return con.execute(sql, params or []).fetchone()[0]


def test_notice_tiles_equal_the_marts_and_the_lever_lies_within_truth(demo_snapshot) -> None:
    serving, truth = demo_snapshot
    at = run_page()
    notices = one(
        serving,
        "select count(*) from srv_proactive_notices n join fct_incidents i using (incident_id) "
        "where i.is_in_period",
    )
    assert exact(at, "Notices") == notices > 0
    assert exact(at, "Incidents notified") == one(
        serving, "select count(*) from fct_incidents where is_quality_incident and is_in_period"
    )
    assert exact(at, "Avoidable contacts") == one(
        serving, "select sum(avoidable_contacts) from kpi_contacts_avoided_monthly"
    )
    contacts = truth["planted"]["contacts"]
    per_contact = contacts["contacts_avoided_value"] / contacts["avoidable"]
    benefit = exact(at, "Contacts avoided")
    assert 0.95 * contacts["avoidable_home_cell"] * per_contact <= benefit
    assert benefit <= contacts["contacts_avoided_value"]


def test_region_filter_narrows_the_notices(demo_snapshot) -> None:
    serving, _ = demo_snapshot
    at = run_page()
    everyone = exact(at, "Notices")
    region = one(
        serving,
        "select i.region from srv_proactive_notices n join fct_incidents i using (incident_id) "
        "where i.is_in_period group by 1 order by count(*) desc limit 1",
    )
    at.sidebar.multiselect(key="region").set_value([region]).run()
    assert not at.exception
    expected = one(
        serving,
        "select count(*) from srv_proactive_notices n join fct_incidents i using (incident_id) "
        "where i.is_in_period and i.region = ?",
        [region],
    )
    assert 0 < exact(at, "Notices") == expected < everyone


def test_incident_in_the_url_shows_its_messages_pseudonymised(demo_snapshot) -> None:
    serving, _ = demo_snapshot
    incident, notices = (
        duckdb.connect(str(serving), read_only=True)
        .execute(
            "select incident_id, count(*) from srv_proactive_notices group by 1 "
            "order by 2 desc, 1 limit 1"
        )
        .fetchone()
    )
    at = run_page(incident=incident)
    assert at.selectbox(key="incident").value == incident
    messages = next(d.value for d in at.dataframe if "example_message" in d.value.columns)
    assert int(messages["notices"].sum()) == notices
    assert all(incident in m for m in messages["example_message"])
    assert not any("CUST-" in m for m in messages["example_message"])
