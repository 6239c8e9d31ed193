"""Decision rights: which automated actions the system may take alone, which need a person's
approval, and the guard that checks every recommendation against them (docs/governance.md).

The rights live in the editable seed `dbt_project/seeds/decision_rights.csv` (one row per
action). A recommendation is made when the model's score reaches the action's threshold (without a
threshold: the model's own flag, or a rule); the guard then rules:

- `allowed`           rights `system`, model not marked for retraining: the system acts alone;
- `approval_required` rights `human_approval`: queued for a person, who decides;
- `escalated_drift`   rights `system` but the model is marked for retraining (feature drift):
                      autonomy is suspended, a person decides;
- `inform_only`       rights `human`: the system may only inform a person;
- `no_rights`         the action has no row in the table: never taken.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import polars as pl

RIGHTS = ("system", "human_approval", "human")


@dataclass(frozen=True)
class DecisionRight:
    """One row of decision_rights.csv; threshold None: the model's flag or a rule decides."""

    action: str
    model: str
    subject_type: str
    task_category: str
    decision_rights: str
    autonomy_level: int
    threshold: float | None


def load_decision_rights(path: Path) -> dict[str, DecisionRight]:
    """action -> its rights, from the seed CSV; an unknown decision_rights value is an error."""
    out: dict[str, DecisionRight] = {}
    with open(path, newline="") as f:
        for r in csv.DictReader(f):
            rights = r["decision_rights"].strip()
            if rights not in RIGHTS:
                raise ValueError(f"decision_rights.csv: {r['action']}: unknown rights {rights!r}")
            thr = r["threshold"].strip()
            out[r["action"].strip()] = DecisionRight(
                action=r["action"].strip(),
                model=r["model"].strip(),
                subject_type=r["subject_type"].strip(),
                task_category=r["task_category"].strip(),
                decision_rights=rights,
                autonomy_level=int(r["autonomy_level"]),
                threshold=float(thr) if thr else None,
            )
    return out


def guard(right: DecisionRight | None, model_marked_for_retraining: bool) -> tuple[str, str]:
    """(guard_result, decided_by) for a recommendation under the action's rights."""
    if right is None:
        return "no_rights", "nobody"
    if right.decision_rights == "human_approval":
        return "approval_required", "human"
    if right.decision_rights == "human":
        return "inform_only", "human"
    if model_marked_for_retraining:
        return "escalated_drift", "human"
    return "allowed", "system"


DECISION_LOG_SCHEMA = {
    "decided_at": pl.Datetime("us", "UTC"),
    "action": pl.String,
    "subject_id": pl.String,
    "model_version": pl.String,
    "score": pl.Float64,
    "threshold": pl.Float64,
    "decision_rights": pl.String,
    "decided_by": pl.String,
    "guard_result": pl.String,
}


def decision_log(
    action: str,
    candidates: pl.DataFrame,
    rights: dict[str, DecisionRight],
    models_to_retrain: set[str],
) -> pl.DataFrame:
    """Log rows for one action's candidates: those the model recommends (score >= threshold;
    without a
    threshold, its own `flagged`, or a rule's candidate when flagged is null), each
    with the guard's verdict. `candidates`: decided_at (UTC), subject_id, model_version, score
    (may be null) and optionally flagged (bool). The verdict depends only on the action's rights
    and whether its model (the rights table's `model`) is in models_to_retrain."""
    right = rights.get(action)
    result, decided_by = guard(right, right is not None and right.model in models_to_retrain)
    frame = candidates
    if "flagged" not in frame.columns:
        frame = frame.with_columns(flagged=pl.lit(None, dtype=pl.Boolean))
    if "score" not in frame.columns:
        frame = frame.with_columns(score=pl.lit(None, dtype=pl.Float64))
    if right is not None and right.threshold is not None:
        frame = frame.filter(pl.col("score") >= right.threshold)
    elif right is not None:
        frame = frame.filter(pl.col("flagged").is_null() | pl.col("flagged"))
    return frame.select(
        pl.col("decided_at").cast(DECISION_LOG_SCHEMA["decided_at"]),
        pl.lit(action).alias("action"),
        pl.col("subject_id").cast(pl.String),
        pl.col("model_version").cast(pl.String),
        pl.col("score").cast(pl.Float64),
        pl.lit(right.threshold if right else None, dtype=pl.Float64).alias("threshold"),
        pl.lit(right.decision_rights if right else None, dtype=pl.String).alias("decision_rights"),
        pl.lit(decided_by).alias("decided_by"),
        pl.lit(result).alias("guard_result"),
    )
