"""One governance run after the models: feature drift of every model against its training rows,
the model cards table, and the decision log of every action under the decision rights
(docs/governance.md). Reads the warehouse (read-only) and the prediction tables; returns frames
for the asset to write. No Dagster imports."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from orchestration import duckdb_config, engine, paths
from orchestration.governance.decision_rights import DecisionRight, decision_log
from orchestration.governance.decision_sources import DECISION_SOURCES
from orchestration.governance.drift import (
    DRIFT_SCHEMA,
    censor_at_history,
    feature_drift,
    models_to_retrain,
    retrain_candidates,
)
from orchestration.governance.model_cards import model_card_rows
from orchestration.predict import anomalies, features, tables
from orchestration.predict.pipeline import ANOMALY_MODEL
from orchestration.predict.tabular_models import CHURN, FALLOUT


@dataclass(frozen=True)
class DriftInput:
    """What drift reads for one model: its feature mart, time column and features."""

    mart: str
    time_column: str
    numeric: tuple[str, ...]
    categorical: tuple[str, ...] = ()
    structural: tuple[str, ...] = ()  # reported, never judged (drift.STRUCTURAL)
    history_censored: tuple[str, ...] = ()  # compared at the shortest history (HISTORY_COLUMN)


HISTORY_COLUMN = "history_days"  # days of data before a feature row (fct_churn_features)
DRIFT_INPUTS: dict[str, DriftInput] = {
    spec.name: DriftInput(
        mart,
        spec.time_column,
        spec.numeric,
        spec.categorical,
        spec.structural,
        spec.history_censored,
    )
    for spec, mart in ((FALLOUT, features.ORDER_FEATURES), (CHURN, features.CHURN_FEATURES))
}
DRIFT_INPUTS[ANOMALY_MODEL] = DriftInput(
    features.CELL_HOUR_FEATURES,
    "hour_start_utc",
    tuple(col for _, col, _ in anomalies.KPIS if col != "log_dl_throughput")
    + ("dl_user_throughput_kbps",),
)
MODELS = tuple(DRIFT_INPUTS)
WAREHOUSE_TABLES = ("srv_proactive_notices",)  # decision sources that dbt builds


@dataclass(frozen=True)
class GovernanceResult:
    drift: pl.DataFrame
    model_cards: pl.DataFrame
    decision_log: pl.DataFrame
    retrain: dict[str, list[str]]
    sources_missing: list[str]


def drift_of_models(data: Path) -> pl.DataFrame:
    """srv_feature_drift: every model's features, per week of its scoring rows."""
    warehouse = paths.warehouse_path(data)
    frames = [pl.DataFrame(schema=DRIFT_SCHEMA)]
    for model, spec in DRIFT_INPUTS.items():
        train, score = features.split_frames(features.read_mart(warehouse, spec.mart, data))
        if train.is_empty() or score.is_empty():
            continue
        train, score = censor_at_history(train, score, spec.history_censored, HISTORY_COLUMN)
        frames.append(
            feature_drift(
                model,
                train,
                score,
                spec.time_column,
                spec.numeric,
                spec.categorical,
                spec.structural,
            )
        )
    return pl.concat(frames)


def _candidates(data: Path) -> tuple[dict[str, pl.DataFrame], list[str]]:
    """action -> its candidate rows, and the tables that were not there to read."""
    con = duckdb_config.connect(data)
    out, missing = {}, []
    try:
        if engine.current_engine() == "spark":  # the marts are Spark's Parquet tables
            spark_warehouse = engine.spark_warehouse(data)
            for table in WAREHOUSE_TABLES:
                if engine.spark_table_folder(spark_warehouse, "marts", table).is_dir():
                    scan = engine.spark_mart_scan(spark_warehouse, "marts", table)
                    con.execute(f"create view {table} as select * from {scan}")
        else:
            con.execute(f"attach '{paths.warehouse_path(data)}' as warehouse (read_only)")
            present = {
                r[0]
                for r in con.execute(
                    "select table_name from information_schema.tables "
                    "where table_catalog = 'warehouse' and table_schema = 'marts'"
                ).fetchall()
            }
            for table in WAREHOUSE_TABLES:
                if table in present:
                    con.execute(f"create view {table} as select * from warehouse.marts.{table}")
        for table in tables.SCHEMAS:
            path = tables.table_path(data, table)
            if path.is_file():
                con.execute(f"create view {table} as select * from read_parquet('{path}')")
        views = {r[0] for r in con.execute("select view_name from duckdb_views()").fetchall()}
        for source in DECISION_SOURCES:
            if source.table not in views:
                missing.append(source.table)
                continue
            out[source.action] = con.execute(source.sql).pl()
    finally:
        con.close()
    return out, missing


def run_governance(
    data: Path, rights: Mapping[str, DecisionRight], cards: Mapping[str, Mapping | None]
) -> GovernanceResult:
    """Drift, cards and the decision log for the data folder `data`."""
    drift = drift_of_models(data)
    retrain = models_to_retrain(drift)
    versions = {m: (c or {}).get("version") for m, c in cards.items()}
    candidates, missing = _candidates(data)
    candidates["retrain_model"] = retrain_candidates(drift, versions)
    # a model marked for retraining loses its autonomous rights (escalated_drift)
    log = pl.concat(
        [
            decision_log(action, frame, dict(rights), set(retrain))
            for action, frame in candidates.items()
        ]
    ).sort("decided_at", "action", "subject_id")
    return GovernanceResult(drift, model_card_rows(cards, retrain), log, retrain, missing)
