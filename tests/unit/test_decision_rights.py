"""Decision rights and the guard (orchestration/governance/decision_rights.py)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import polars as pl
import pytest

from orchestration.governance.decision_rights import (
    DECISION_LOG_SCHEMA,
    decision_log,
    guard,
    load_decision_rights,
)

SEED = Path(__file__).resolve().parents[2] / "dbt_project" / "seeds" / "decision_rights.csv"
T = datetime(2026, 2, 1, tzinfo=UTC)


@pytest.fixture(scope="module")
def rights():
    return load_decision_rights(SEED)


def test_the_shipped_table(rights) -> None:
    assert set(rights) == {
        "send_proactive_notice",
        "route_order_to_precheck",
        "open_cell_investigation",
        "offer_retention_incentive",
        "retrain_model",
    }
    # money-spending and model-changing decisions need a person (TS 28.100 Decision: H&S, L3)
    assert rights["offer_retention_incentive"].decision_rights == "human_approval"
    assert rights["retrain_model"].autonomy_level == 3
    assert rights["route_order_to_precheck"].threshold == 0.15


def test_guard_verdicts(rights) -> None:
    assert guard(rights["route_order_to_precheck"], False) == ("allowed", "system")
    assert guard(rights["route_order_to_precheck"], True) == ("escalated_drift", "human")
    assert guard(rights["offer_retention_incentive"], False) == ("approval_required", "human")
    assert guard(None, False) == ("no_rights", "nobody")


def test_unknown_rights_value_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "r.csv"
    bad.write_text(
        "action,model,subject_type,task_category,decision_rights,autonomy_level,threshold,description\n"
        "x,m,order,execution,robot,5,,d\n"
    )
    with pytest.raises(ValueError, match="unknown rights"):
        load_decision_rights(bad)


def test_log_keeps_only_recommendations_with_their_verdict(rights) -> None:
    scores = pl.DataFrame(
        {
            "decided_at": [T, T, T],
            "subject_id": ["O1", "O2", "O3"],
            "model_version": ["v1"] * 3,
            "score": [0.9, 0.35, 0.1],
        }
    )
    log = decision_log("route_order_to_precheck", scores, rights, set())
    assert log.schema == pl.Schema(DECISION_LOG_SCHEMA)
    assert log["subject_id"].to_list() == ["O1", "O2"]
    assert set(log["guard_result"]) == {"allowed"} and set(log["threshold"]) == {0.15}
    drifted = decision_log("route_order_to_precheck", scores, rights, {"order_fallout_model"})
    assert set(drifted["guard_result"]) == {"escalated_drift"}
    assert set(drifted["decided_by"]) == {"human"}


def test_flag_decides_without_threshold_and_rules_always_qualify(rights) -> None:
    cells = pl.DataFrame(
        {
            "decided_at": [T, T],
            "subject_id": ["C1@h", "C2@h"],
            "model_version": ["v1", "v1"],
            "score": [0.2, 0.9],
            "flagged": [False, True],
        }
    )
    log = decision_log("open_cell_investigation", cells, rights, set())
    assert log["subject_id"].to_list() == ["C2@h"]
    rule = pl.DataFrame({"decided_at": [T], "subject_id": ["INC-1"], "model_version": ["rule"]})
    log = decision_log("send_proactive_notice", rule, rights, set())
    assert log["guard_result"].to_list() == ["allowed"] and log["score"].to_list() == [None]
    unknown = decision_log("delete_customer", rule, rights, set())
    assert unknown["guard_result"].to_list() == ["no_rights"]
