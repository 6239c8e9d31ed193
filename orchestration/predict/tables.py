"""The prediction serving tables: names, column types (the contract the dashboards and the
decision assets read) and where each lives before it is published.

Each table is one Parquet file `<data>/predictions/<table>.parquet`, written whole by its asset
(temp file + rename); `serving.publish_snapshot` copies every file of that folder into the
serving snapshot as a table of the same name.
"""

from __future__ import annotations

import os
from pathlib import Path

import polars as pl

from orchestration import paths
from orchestration.governance.decision_rights import DECISION_LOG_SCHEMA
from orchestration.governance.drift import DRIFT_SCHEMA
from orchestration.governance.model_cards import MODEL_CARDS_SCHEMA

UTC_TS = pl.Datetime("us", "UTC")

# srv_order_fallout_risk: one row per order created in the scoring window, scored at creation
ORDER_FALLOUT_RISK = "srv_order_fallout_risk"
# srv_cell_anomalies: one row per cell and UTC hour of the scoring window
CELL_ANOMALIES = "srv_cell_anomalies"
# srv_churn_risk: one row per customer active at the start of the scoring window
CHURN_RISK = "srv_churn_risk"

# The governance tables (docs/governance.md), written beside them by the governance asset
FEATURE_DRIFT = "srv_feature_drift"
MODEL_CARDS = "srv_model_cards"
DECISION_LOG = "srv_decision_log"

SCHEMAS: dict[str, dict[str, pl.DataType]] = {
    ORDER_FALLOUT_RISK: {
        "order_id": pl.String(),
        "scored_at": UTC_TS,  # the order's creation time: scored with what was known then
        "risk": pl.Float64(),  # probability the order falls out (held or failed), 0..1
        "model_version": pl.String(),  # content hash of the model artifact
        "top_drivers": pl.String(),  # "feature=value (+0.12); ..." the 3 largest contributions
    },
    CELL_ANOMALIES: {
        "cell_id": pl.String(),
        "hour_start_utc": UTC_TS,
        "score": pl.Float64(),  # robust z-score of the hour's worst KPI against the cell's normal
        "is_anomaly": pl.Boolean(),  # score at or above the model's threshold
        "model_version": pl.String(),
    },
    CHURN_RISK: {
        "customer_id": pl.String(),  # source id, not a personal identifier
        "scored_at": UTC_TS,  # 00:00 UTC of the scoring window's first day
        "risk": pl.Float64(),  # probability to churn within the scoring window, 0..1
        "model_version": pl.String(),
        "top_drivers": pl.String(),
    },
    FEATURE_DRIFT: DRIFT_SCHEMA,  # type: ignore[dict-item]
    MODEL_CARDS: MODEL_CARDS_SCHEMA,  # type: ignore[dict-item]
    DECISION_LOG: DECISION_LOG_SCHEMA,
}


def table_path(data: Path, table: str) -> Path:
    """`<data>/predictions/<table>.parquet`."""
    return paths.predictions_dir(data) / f"{table}.parquet"


def conform(table: str, frame: pl.DataFrame) -> pl.DataFrame:
    """The frame with exactly the table's columns, in order and types; raises ValueError when a
    column is missing (a broken contract must fail the asset, not the dashboard)."""
    schema = SCHEMAS[table]
    missing = [c for c in schema if c not in frame.columns]
    if missing:
        raise ValueError(f"{table}: missing columns {missing}")
    return frame.select([pl.col(c).cast(t) for c, t in schema.items()])


def write_table(data: Path, table: str, frame: pl.DataFrame) -> Path:
    """Write the conformed frame to its Parquet file atomically; returns the path."""
    out = table_path(data, table)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f"{out.name}.tmp-{os.getpid()}")
    conform(table, frame).write_parquet(tmp)
    os.replace(tmp, out)
    return out


def read_prediction_tables(data: Path) -> dict[str, pl.DataFrame]:
    """Every published prediction table of `data` (name -> frame), by file name order."""
    folder = paths.predictions_dir(data)
    if not folder.is_dir():
        return {}
    return {p.stem: pl.read_parquet(p) for p in sorted(folder.glob("*.parquet"))}
