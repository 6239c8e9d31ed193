"""A dataset that fails an ERROR check holds back only its own dbt models.

The built demo plus one VES fault file whose two events share their key (event id, source, start
time, sequence: only the event name differs), a whole-dataset ERROR no per-record rule catches:
`itot build` publishes the snapshot with every other mart rebuilt, the alarm models keep their
last good version and are listed stale with the reason, the KPIs are still the truth, the
Data health page names the block, every file's rows are conserved, and the exit code is 2 with
the one-line summary last. One rebuild of the shared demo build's copy.
"""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import polars as pl
import pytest
import streamlit as st
from click.testing import CliRunner
from streamlit.testing.v1 import AppTest

from orchestration import paths
from orchestration.cli import BLOCKED_EXIT_CODE, main
from orchestration.ingest.ledger import read_ledger
from tests.conftest import build_env_restored
from tests.fault_files import ves_same_key_twice
from tests.kpi_truth import assert_kpis_equal

pytestmark = [pytest.mark.integration, pytest.mark.seconds(90)]
APP = Path(__file__).resolve().parents[2] / "dashboards" / "app.py"
ALARM_MODELS = {"stg_network__alarm_events", "srv_cell_alarms", "kpi_incidents_summary"}


def _cli(*args: str):
    with build_env_restored():
        return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.fixture(scope="module")
def blocked_build(demo_build, tmp_path_factory: pytest.TempPathFactory):
    import shutil

    landing_src, data_src = demo_build
    root = tmp_path_factory.mktemp("blocked")
    landing, data = root / "landing", root / "data"
    shutil.copytree(landing_src, landing)
    shutil.copytree(data_src, data, ignore=shutil.ignore_patterns("*.tmp-*"))
    template = sorted((landing / "alarms").glob("*.json"))[0]
    (landing / "alarms" / "ves_faults_same_key.json").write_text(
        ves_same_key_twice(template), encoding="utf-8"
    )
    before = paths.serving_path(data).stat().st_mtime_ns
    result = _cli("build", "--landing", str(landing), "--data", str(data), "--quiet")
    return landing, data, result, before


def test_the_build_exits_2_with_the_block_as_its_last_line(blocked_build) -> None:
    _, _, result, _ = blocked_build
    assert result.exit_code == BLOCKED_EXIT_CODE, result.output
    last = result.output.strip().splitlines()[-1]
    assert last.startswith("BLOCKED: alarm_events blocked by expectations: "), last
    assert "expect_compound_columns_to_be_unique(event_id,source_name,event_time_utc" in last
    assert " on 2 of " in last and "dbt models kept stale" in last


def test_the_snapshot_is_published_with_the_alarm_models_stale(blocked_build) -> None:
    _, data, _, before = blocked_build
    snapshot = paths.serving_path(data)
    assert snapshot.stat().st_mtime_ns > before
    with duckdb.connect(str(snapshot), read_only=True) as con:
        stale = con.execute("select model, dataset, kept, reason from stale_models").pl()
        built_at = con.execute("select max(run_generated_at) from dbt_test_results").fetchone()[0]
    assert ALARM_MODELS <= set(stale["model"]), stale
    assert set(stale["dataset"]) == {"alarm_events"}
    assert set(stale["kept"]) == {"last good version"}
    assert stale["reason"].str.starts_with("alarm_events blocked by expectations").all()
    # the other models were rebuilt: their dbt tests ran in this build, the alarm ones did not
    assert built_at is not None
    assert "kpi_headline" not in set(stale["model"])
    assert "fct_product_orders" not in set(stale["model"])


def test_the_other_kpis_are_present_and_still_the_truth(blocked_build) -> None:
    landing, data, _, _ = blocked_build
    result = _cli("kpis", "--data", str(data), "--json")
    assert result.exit_code == 0, result.output
    kpis = json.loads(result.output)
    truth = json.loads((landing / "truth.json").read_text(encoding="utf-8"))["kpis"]
    assert_kpis_equal(kpis, truth)
    assert kpis["stale"]["kpi_incidents_summary"].startswith("alarm_events blocked by")


def test_every_file_conserves_its_rows(blocked_build) -> None:
    _, data, _, _ = blocked_build
    ledger = read_ledger(data)
    assert (ledger["rows_in"] == ledger["rows_loaded"] + ledger["rows_quarantined"]).all()
    mine = ledger.filter(pl.col("file_path") == "alarms/ves_faults_same_key.json")
    assert mine["rows_loaded"].sum() == 2 and mine["rows_quarantined"].sum() == 0


def test_data_health_names_the_block(blocked_build, monkeypatch: pytest.MonkeyPatch) -> None:
    _, data, _, _ = blocked_build
    monkeypatch.setenv("ITOT_DATA", str(data))
    st.cache_data.clear()
    at = AppTest.from_file(str(APP), default_timeout=90)
    at.switch_page("views/data_health.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    errors = " ".join(e.value for e in at.error)
    assert "alarm_events blocked by expectations" in errors and "on 2 of" in errors
    st.cache_data.clear()
