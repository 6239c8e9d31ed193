"""The feature frames the models read, from the warehouse's feature marts (dbt_project/models/
marts/predict): read-only, after dbt has built them. Each frame carries `split` ('train' rows
before the scoring window, 'score' rows inside it); drift and the models read the same frames."""

from __future__ import annotations

from pathlib import Path

import duckdb
import polars as pl

from orchestration import duckdb_config

SCHEMA = "marts"
ORDER_FEATURES = "fct_order_fallout_features"
CHURN_FEATURES = "fct_churn_features"
CELL_HOUR_FEATURES = "fct_cell_hour_features"
WINDOWS = "fct_prediction_windows"


def read_mart(warehouse: Path, table: str, data: Path | None = None) -> pl.DataFrame:
    """The whole mart `marts.<table>` as a Polars frame (timestamps in UTC)."""
    config = duckdb_config.duckdb_settings(data or warehouse.parent)
    con = duckdb.connect(str(warehouse), read_only=True, config=config)
    try:
        con.execute("set TimeZone = 'UTC'")
        return con.sql(f'select * from {SCHEMA}."{table}"').pl()  # noqa: S608 - our own names
    finally:
        con.close()


def split_frames(frame: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(training rows, scoring rows) of a feature frame; the two never share a row."""
    return frame.filter(pl.col("split") == "train"), frame.filter(pl.col("split") == "score")
