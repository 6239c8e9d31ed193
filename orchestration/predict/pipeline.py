"""Train, version, score and publish one model: what each predict asset runs.

Reads the feature marts from the warehouse, fits on the training rows only, saves the
artifact under its content hash, scores only the scoring rows, and writes the serving table.
A model with nothing to learn from (no training rows, or one outcome only: a blocked dataset
or a tiny landing zone) writes an empty serving table and says why in its card.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from orchestration import paths
from orchestration.predict import anomalies, tables
from orchestration.predict.artifacts import save_model
from orchestration.predict.features import (
    CELL_HOUR_FEATURES,
    CHURN_FEATURES,
    ORDER_FEATURES,
    read_mart,
    split_frames,
)
from orchestration.predict.tabular_models import (
    CHURN,
    FALLOUT,
    TabularSpec,
    baseline_scores,
    fit,
    model_card,
    serving_frame,
)

ANOMALY_MODEL = "cell_anomaly_model"
FEATURES_OF = {FALLOUT.name: ORDER_FEATURES, CHURN.name: CHURN_FEATURES}
TABLE_OF = {
    FALLOUT.name: tables.ORDER_FALLOUT_RISK,
    CHURN.name: tables.CHURN_RISK,
    ANOMALY_MODEL: tables.CELL_ANOMALIES,
}


@dataclass(frozen=True)
class PredictionRun:
    """What one model asset did: its version (None when not trained), card and table."""

    model: str
    version: str | None
    card: dict
    table: str
    rows: int
    path: Path
    extra: dict = field(default_factory=dict)


def _empty(table: str) -> pl.DataFrame:
    return pl.DataFrame(schema=tables.SCHEMAS[table])


def run_tabular(spec: TabularSpec, data: Path) -> PredictionRun:
    """Fallout or churn: fit on 'train' rows, score the 'score' rows, publish."""
    table = TABLE_OF[spec.name]
    frame = read_mart(paths.warehouse_path(data), FEATURES_OF[spec.name], data)
    train, score = split_frames(frame)
    train = train.sort(spec.time_column, spec.key)
    score = score.sort(spec.time_column, spec.key)
    labels = set(train[spec.label].to_list()) if train.height else set()
    if len(labels) < 2 or not score.height:
        reason = (
            "no scoring rows" if labels == {False, True} else "no training outcome of each kind"
        )
        card = {"model": spec.name, "version": None, "not_trained": reason}
        out = tables.write_table(data, table, _empty(table))
        return PredictionRun(spec.name, None, card, table, 0, out)
    model = fit(spec, train)
    version, artifact = save_model(data, spec.name, model)
    risk = model.predict(score)
    card = model_card(spec, train, score, risk, baseline_scores(spec, train, score), version)
    card["artifact"] = artifact.relative_to(data).as_posix()  # the same in a copied folder
    scored_at = (
        pl.col("created_at")
        if spec is FALLOUT
        else pl.col("assessment_date").cast(pl.Datetime("us")).dt.replace_time_zone("UTC")
    )
    rows = serving_frame(spec, model, score, risk, version, scored_at)
    out = tables.write_table(data, table, rows)
    return PredictionRun(spec.name, version, card, table, rows.height, out)


def anomaly_card(model: anomalies.AnomalyModel, train, scored, alerts, version: str) -> dict:
    """The detector's card: features, training window, what it and the baseline flag."""
    return {
        "model": ANOMALY_MODEL,
        "version": version,
        "algorithm": "robust z-score of each KPI against the cell's own median per UTC hour "
        f"and day type; hourly and {anomalies.SUSTAIN_HOURS}-hour sustained; "
        f"anomaly at >= {model.threshold}",
        "features": [col for _, col, _ in anomalies.KPIS],
        "training_window": {
            "from": str(train["date_day"].min()),
            "to": str(train["date_day"].max()),
            "rows": train.height,
            "cells": train["cell_id"].n_unique(),
        },
        "held_out_window": {
            "from": str(scored["hour_start_utc"].min()),
            "to": str(scored["hour_start_utc"].max()),
            "rows": scored.height,
        },
        "held_out_flagged_hours": int(scored["is_anomaly"].sum()),
        "baseline": "TCA fixed thresholds: accessibility < "
        f"{anomalies.TCA_ACCESSIBILITY_PCT} %, retainability < "
        f"{anomalies.TCA_RETAINABILITY_PCT} %, availability < "
        f"{anomalies.TCA_AVAILABILITY_PCT} %, DL throughput < "
        f"{anomalies.TCA_DL_THROUGHPUT_KBPS} kbit/s",
        "baseline_flagged_hours": int(alerts["is_alert"].sum()),
    }


def run_anomalies(data: Path) -> PredictionRun:
    """The cell anomaly detector: learn the normal from 'train' hours, score 'score' hours."""
    table = tables.CELL_ANOMALIES
    frame = anomalies.with_calendar(read_mart(paths.warehouse_path(data), CELL_HOUR_FEATURES, data))
    train, score = split_frames(frame)
    if not train.height or not score.height:
        card = {
            "model": ANOMALY_MODEL,
            "version": None,
            "not_trained": "no hours to learn or score",
        }
        out = tables.write_table(data, table, _empty(table))
        return PredictionRun(ANOMALY_MODEL, None, card, table, 0, out)
    model = anomalies.fit_detector(train)
    version, artifact = save_model(data, ANOMALY_MODEL, model)
    scored = anomalies.score_hours(model, score)
    alerts = anomalies.tca_flags(score)
    card = anomaly_card(model, train, scored, alerts, version)
    card["artifact"] = artifact.relative_to(data).as_posix()  # the same in a copied folder
    rows = scored.with_columns(pl.lit(version).alias("model_version"))
    out = tables.write_table(data, table, rows)
    return PredictionRun(ANOMALY_MODEL, version, card, table, rows.height, out)
