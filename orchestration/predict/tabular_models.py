"""The fallout-risk and churn-risk models: which features, which label, which baseline, and
how a fit becomes a serving table and a model card (docs/predictions.md).

- Fallout: one row per order (fct_order_fallout_features), label is_fallout, scored at the
  order's creation. Baseline: the training window's fallout rate per product x channel.
- Churn: one row per customer and assessment day (fct_churn_features), label is_churned within
  the window after the assessment. Baseline: recency of a bad-experience day (the more recent,
  the riskier; never = least risky).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

from orchestration.predict.risk_model import RiskModel, auc, fit_risk_model


@dataclass(frozen=True)
class TabularSpec:
    """One model's inputs and outputs."""

    name: str
    key: str  # the serving table's subject column
    label: str
    categorical: tuple[str, ...]
    numeric: tuple[str, ...]
    time_column: str  # the training window is reported over it
    baseline: str  # what the baseline is, in words
    # drift (docs/governance.md): features the calendar sets, reported but never judged ...
    structural: tuple[str, ...] = ()
    # ... and "days since" features compared censored at the shortest history (history_days)
    history_censored: tuple[str, ...] = ()


FALLOUT = TabularSpec(
    name="order_fallout_model",
    key="order_id",
    label="is_fallout",
    categorical=(
        "channel",
        "product_offering_id",
        "order_action",
        "install_type",
        "address_status",
        "segment",
        "home_cell_technology",
    ),
    numeric=("home_cell_prb_7d_pct", "is_automated"),
    time_column="created_date",
    baseline="historical fallout rate per product_offering_id x channel (training window)",
    structural=("is_automated",),  # every scored order is after the go-live
)
CHURN = TabularSpec(
    name="churn_model",
    key="customer_id",
    label="is_churned",
    categorical=("segment", "plan"),
    numeric=(
        "tenure_days",
        "impaired_days_28d",
        "complaints_28d",
        "disputes_28d",
        "bill_shocks_28d",
        "days_since_bad_experience",
    ),
    time_column="assessment_date",
    baseline="recency of a bad-experience day (impaired share > 0 or a complaint): "
    "1 / (1 + days since), 0 when none",
    # its reach grows with the history before the assessment, and its values are the days of
    # the few incidents before it (shared by all their customers): drift reports it, censored
    # at the shortest history, and judges exposure by impaired_days_28d and complaints_28d
    structural=("days_since_bad_experience",),
    history_censored=("days_since_bad_experience",),
)


def _sorted(frame: pl.DataFrame, spec: TabularSpec) -> pl.DataFrame:
    return frame.sort(spec.time_column, spec.key)


def fallout_baseline(train: pl.DataFrame, score: pl.DataFrame) -> np.ndarray:
    """Per scored order, the training window's fallout rate of its product x channel (the
    overall training rate where that pair never occurred)."""
    overall = float(train["is_fallout"].cast(pl.Float64).mean() or 0.0)
    rates = train.group_by("product_offering_id", "channel").agg(
        pl.col("is_fallout").cast(pl.Float64).mean().alias("rate")
    )
    joined = score.select("product_offering_id", "channel").join(
        rates, on=["product_offering_id", "channel"], how="left", maintain_order="left"
    )
    return joined["rate"].fill_null(overall).to_numpy()


def churn_baseline(score: pl.DataFrame) -> np.ndarray:
    """1 / (1 + days since the last bad-experience day); 0 for customers without one."""
    days = score["days_since_bad_experience"].cast(pl.Float64)
    return (1.0 / (1.0 + days)).fill_null(0.0).to_numpy()


def baseline_scores(spec: TabularSpec, train: pl.DataFrame, score: pl.DataFrame) -> np.ndarray:
    """The named simple baseline's score per scoring row."""
    return fallout_baseline(train, score) if spec is FALLOUT else churn_baseline(score)


def fit(spec: TabularSpec, train: pl.DataFrame) -> RiskModel:
    """Fit the model on the training rows only."""
    return fit_risk_model(_sorted(train, spec), spec.label, spec.categorical, spec.numeric)


def model_card(
    spec: TabularSpec,
    train: pl.DataFrame,
    score: pl.DataFrame,
    risk: np.ndarray,
    baseline: np.ndarray,
    version: str,
) -> dict:
    """The card: features, training window, held-out metrics beside the baseline's."""
    y_train = train[spec.label].cast(pl.Boolean)
    y_score = score[spec.label].cast(pl.Boolean).to_numpy()
    window = train[spec.time_column]
    held = score[spec.time_column]
    return {
        "model": spec.name,
        "version": version,
        "algorithm": "scikit-learn HistGradientBoostingClassifier "
        "(learning_rate 0.05, 150 trees of depth 2, min 20 rows per leaf)",
        "features": list(spec.categorical + spec.numeric),
        "label": spec.label,
        "training_window": {
            "from": str(window.min()) if train.height else None,
            "to": str(window.max()) if train.height else None,
            "rows": train.height,
            "positives": int(y_train.sum() or 0),
        },
        "held_out_window": {
            "from": str(held.min()) if score.height else None,
            "to": str(held.max()) if score.height else None,
            "rows": score.height,
            "positives": int(y_score.sum()),
        },
        "held_out_auc": auc(y_score, risk),
        "held_out_brier": round(float(np.mean((risk - y_score) ** 2)), 4) if score.height else None,
        "baseline": spec.baseline,
        "baseline_auc": auc(y_score, baseline),
    }


def serving_frame(
    spec: TabularSpec,
    model: RiskModel,
    score: pl.DataFrame,
    risk: np.ndarray,
    version: str,
    scored_at: pl.Expr,
) -> pl.DataFrame:
    """The serving table rows: subject, scored_at, risk, model_version, top_drivers."""
    return score.select(
        pl.col(spec.key),
        scored_at.alias("scored_at"),
        pl.Series("risk", risk, dtype=pl.Float64).round(6),
        pl.lit(version).alias("model_version"),
        pl.Series("top_drivers", model.drivers(score, risk), dtype=pl.String),
    )
