"""NPS / CSAT survey export (CSV) -> one row per survey response.

`nps_score` is 0-10 (required), `csat_score` 1-5 (may be empty); `response_date` is a date.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from orchestration.sources.csv_common import Column, parse_csv, schema_of
from orchestration.sources.result import ParseResult

FORMAT = "survey_csv"
DATASET = "survey_responses"
COLUMNS = [
    Column("response_id", "response_id", required=True),
    Column("customer_id", "customer_id", required=True),
    Column("channel", "channel"),
    Column("response_date", "response_date", "date", required=True),
    Column(
        "nps_score",
        "nps_score",
        "int",
        required=True,
        check=lambda v: v.is_between(0, 10),
        check_text="out of range 0-10",
    ),
    Column(
        "csat_score",
        "csat_score",
        "int",
        check=lambda v: v.is_between(1, 5),
        check_text="out of range 1-5",
    ),
]
SCHEMA: dict[str, pl.DataType] = schema_of(COLUMNS)


def day_of(rows: pl.DataFrame) -> pl.Series:
    """Bronze day partition: the response date."""
    return rows["response_date"]


def parse(path: Path) -> ParseResult:
    """Parse one survey CSV; never raises on bad input."""
    return parse_csv(path, COLUMNS)
