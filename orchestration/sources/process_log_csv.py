"""Operations process log as CSV -> `process_events`, one row per activity event.

`resource_type` says who did the task (`human`, `system`, `human+system`) and `task_category`
which of the five autonomy task categories it belongs to; both drive the autonomy level. The
same dataset is fed by XES (`process_log_xes`) and OCEL (`process_log_ocel`) logs, whose rows
add `lifecycle_transition`; `source_format` says which (`csv`, `xes`, `ocel`).
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from orchestration.sources.csv_common import Column, parse_csv, schema_of
from orchestration.sources.result import ParseResult

FORMAT = "process_log_csv"
DATASET = "process_events"
COLUMNS = [
    Column("event_id", "event_id", required=True),
    Column("case_id", "case_id", required=True),
    Column("workflow", "workflow", required=True),
    Column("activity", "activity", required=True),
    Column("timestamp", "event_time_utc", "ts", required=True),
    Column("resource", "resource"),
    Column("resource_type", "resource_type", required=True),
    Column("task_category", "task_category", required=True),
]
SOURCE_FORMAT = "csv"
# Columns the standard process-mining formats add (null / "csv" for a CSV log).
ADDED: dict[str, pl.DataType] = {"lifecycle_transition": pl.String(), "source_format": pl.String()}
SCHEMA: dict[str, pl.DataType] = schema_of(COLUMNS) | ADDED


def day_of(rows: pl.DataFrame) -> pl.Series:
    """Bronze day partition: the UTC day of the event."""
    return rows["event_time_utc"].dt.date()


def parse(path: Path) -> ParseResult:
    """Parse one process log CSV; never raises on bad input."""
    result = parse_csv(path, COLUMNS)
    result.rows = result.rows.with_columns(
        pl.lit(None, pl.String()).alias("lifecycle_transition"),
        pl.lit(SOURCE_FORMAT, pl.String()).alias("source_format"),
    )
    return result
