"""Governance on the demo operator (docs/governance.md): the decision log holds every
recommendation with the guard's verdict under the decision rights, drift is measured per
model, feature and week, and a drifted feature fails the WARNING check `feature_drift`, marks
its model for retraining and escalates the model's autonomous actions to a person."""

from __future__ import annotations

from pathlib import Path

import dagster as dg
import duckdb
import polars as pl
import pytest

from orchestration import paths
from orchestration.governance.decision_rights import load_decision_rights
from orchestration.predict import tables

pytestmark = pytest.mark.integration

SEED = Path(__file__).resolve().parents[2] / "dbt_project" / "seeds" / "decision_rights.csv"
GOVERNANCE = [tables.FEATURE_DRIFT, tables.MODEL_CARDS, tables.DECISION_LOG]


def _serving(data: Path) -> duckdb.DuckDBPyConnection:
    return duckdb.connect(str(paths.serving_path(data)), read_only=True)


def test_every_recommendation_is_logged_with_its_rights(demo_build) -> None:
    _, data = demo_build
    rights = load_decision_rights(SEED)
    with _serving(data) as con:
        log = con.sql("select * from srv_decision_log").pl()
        expected = {
            "send_proactive_notice": con.sql(
                "select count(distinct incident_id) from srv_proactive_notices"
            ).fetchone()[0],
            "route_order_to_precheck": con.execute(
                "select count(*) from srv_order_fallout_risk where risk >= ?",
                [rights["route_order_to_precheck"].threshold],
            ).fetchone()[0],
            "offer_retention_incentive": con.execute(
                "select count(*) from srv_churn_risk where risk >= ?",
                [rights["offer_retention_incentive"].threshold],
            ).fetchone()[0],
            "open_cell_investigation": con.sql(
                "select count(*) from srv_cell_anomalies where is_anomaly"
            ).fetchone()[0],
        }
        retrain = set(
            con.sql("select model from srv_model_cards where marked_for_retraining").pl()["model"]
        )
    counts = dict(log.group_by("action").len().iter_rows())
    assert {a: counts.get(a, 0) for a in expected} == expected
    assert expected["send_proactive_notice"] > 0 and expected["route_order_to_precheck"] > 0
    assert counts.get("retrain_model", 0) == len(retrain)
    for action, rows in log.group_by("action"):
        right = rights[action[0]]
        assert set(rows["decision_rights"]) == {right.decision_rights}
        if right.decision_rights == "human_approval":
            assert set(rows["guard_result"]) == {"approval_required"}
            assert set(rows["decided_by"]) == {"human"}
        elif right.model in retrain:
            assert set(rows["guard_result"]) == {"escalated_drift"}
        else:
            assert set(rows["guard_result"]) == {"allowed"}
            assert set(rows["decided_by"]) == {"system"}


def test_drift_rows_are_consistent_with_their_thresholds(demo_build) -> None:
    _, data = demo_build
    with _serving(data) as con:
        drift = con.sql("select * from srv_feature_drift").pl()
        cards = con.sql("select * from srv_model_cards").pl()
    assert (
        set(drift["model"])
        == set(cards["model"])
        == {
            "order_fallout_model",
            "churn_model",
            "cell_anomaly_model",
        }
    )
    judged = drift.filter(~pl.col("status").is_in(["insufficient_data", "structural"]))
    assert judged.height > 0 and judged["psi"].null_count() == 0
    assert (judged["threshold"] >= 0.1).all()
    assert ((judged["psi"] > judged["threshold"]) == (judged["status"] == "drift")).all()
    drifted = set(drift.filter(pl.col("status") == "drift")["model"])
    assert set(cards.filter(pl.col("marked_for_retraining"))["model"]) == drifted
    # a healthy build is not red-flagged: the features the calendar sets are reported with
    # their PSI but never judged (docs/governance.md), and nothing else drifts on the demo
    structural = drift.filter(pl.col("status") == "structural")
    assert set(structural["feature"]) == {"is_automated", "days_since_bad_experience"}
    assert structural["psi"].null_count() == 0
    assert drifted == set()
    assert cards.filter(pl.col("status") == "trained")["model_version"].null_count() == 0


def test_a_drifted_feature_fails_the_warning_check_and_escalates(demo_copy, monkeypatch) -> None:
    """Shift one feature of the scoring orders in a copy of the warehouse: the fallout model
    still trains on the same rows, its drift crosses the threshold, the check warns and names
    it, and its pre-check routings are escalated to a person."""
    landing, data = demo_copy
    with duckdb.connect(str(paths.warehouse_path(data))) as con:
        con.execute(
            "update marts.fct_order_fallout_features set home_cell_prb_7d_pct = "
            "home_cell_prb_7d_pct + 40 where split = 'score'"
        )
    monkeypatch.setenv(paths.LANDING_ENV, str(landing))
    monkeypatch.setenv(paths.DATA_ENV, str(data))
    from orchestration.definitions import defs

    job = defs.resolve_implicit_global_asset_job_def()
    selection = ["order_fallout_model", tables.ORDER_FALLOUT_RISK, *GOVERNANCE]
    with dg.DagsterInstance.ephemeral() as instance:
        result = job.execute_in_process(
            instance=instance, asset_selection=[dg.AssetKey(k) for k in selection]
        )
    assert result.success
    checks = [
        e.asset_check_evaluation_data
        for e in result.all_events
        if e.event_type_value == "ASSET_CHECK_EVALUATION"
    ]
    (check,) = [c for c in checks if c.check_name == "feature_drift"]
    assert not check.passed and check.severity == dg.AssetCheckSeverity.WARN
    marked = check.metadata["models_to_retrain"].value
    assert "home_cell_prb_7d_pct" in marked["order_fallout_model"]
    observed = [
        e.asset_observation_data.asset_observation
        for e in result.all_events
        if e.event_type_value == "ASSET_OBSERVATION"
    ]
    assert any(
        o.asset_key == dg.AssetKey("order_fallout_model")
        and o.metadata["marked_for_retraining"].value
        for o in observed
    )
    log = pl.read_parquet(tables.table_path(data, tables.DECISION_LOG))
    routed = log.filter(pl.col("action") == "route_order_to_precheck")
    assert routed.height > 0 and set(routed["guard_result"]) == {"escalated_drift"}
    retrain = log.filter(pl.col("action") == "retrain_model")
    assert "order_fallout_model" in set(retrain["subject_id"])
    assert set(retrain["guard_result"]) == {"approval_required"}
