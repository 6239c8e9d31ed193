"""The feature frames the models read, from the warehouse's feature marts (dbt_project/models/
marts/predict): read-only, after dbt has built them. Each frame carries `split` ('train' rows
before the scoring window, 'score' rows inside it); drift and the models read the same frames."""

from __future__ import annotations

from pathlib import Path

import duckdb
import polars as pl

from orchestration import duckdb_config, engine

SCHEMA = "marts"
ORDER_FEATURES = "fct_order_fallout_features"
CHURN_FEATURES = "fct_churn_features"
CELL_HOUR_FEATURES = "fct_cell_hour_features"
WINDOWS = "fct_prediction_windows"


def read_mart(warehouse: Path, table: str, data: Path | None = None) -> pl.DataFrame:
    """The whole mart `marts.<table>` as a Polars frame (timestamps in UTC). With
    ITOT_ENGINE=spark the marts are Spark's Parquet tables under `<data>/spark/warehouse`
    (`warehouse` is then unused)."""
    data = data or warehouse.parent
    config = duckdb_config.duckdb_settings(data)
    on_spark = engine.current_engine() == "spark"
    con = duckdb.connect(
        ":memory:" if on_spark else str(warehouse), read_only=not on_spark, config=config
    )
    try:
        con.execute("set TimeZone = 'UTC'")
        if on_spark:
            scan = engine.spark_mart_scan(engine.spark_warehouse(data), SCHEMA, table)
            return con.sql(f"select * from {scan}").pl()
        return con.sql(f'select * from {SCHEMA}."{table}"').pl()  # noqa: S608 - our own names
    finally:
        con.close()


def split_frames(frame: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(training rows, scoring rows) of a feature frame; the two never share a row."""
    return frame.filter(pl.col("split") == "train"), frame.filter(pl.col("split") == "score")
