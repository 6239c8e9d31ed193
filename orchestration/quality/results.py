"""Check result records and their Parquet files: `$ITOT_DATA/quality/<dataset>.parquet`.

One file per dataset holds the results of that dataset's latest check run (expectations and
freshness), replaced atomically; `schema.parquet` (zero rows) lets dbt read the folder before
any check ran. Only dbt writes the warehouse: it reads these files as `quality.check_results`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import polars as pl

from orchestration import paths
from orchestration.ingest.files import write_parquet_atomic

SCHEMA_FILE = paths.SCHEMA_FILE
EXPECTATIONS_CHECK = "expectations"  # the Great Expectations suite of a dataset
FRESHNESS_CHECK = "freshness"

RESULT_SCHEMA: dict[str, pl.DataType] = {
    "dataset": pl.String(),
    "check_name": pl.String(),  # expectations | freshness
    "expectation": pl.String(),  # e.g. expect_column_values_to_not_be_null(order_id)
    "expectation_type": pl.String(),
    "column_name": pl.String(),
    "severity": pl.String(),  # error | warning
    "success": pl.Boolean(),
    "unexpected_count": pl.Int64(),
    "element_count": pl.Int64(),  # rows validated (the sample size when sampled)
    "observed": pl.String(),  # JSON: observed value, a few unexpected values, or the error
    "rows_total": pl.Int64(),  # rows of the dataset in bronze
    "sampled": pl.Boolean(),
    "checked_at": pl.Datetime("us", "UTC"),
    "run_id": pl.String(),
}


@dataclass(frozen=True)
class CheckResult:
    """One expectation's (or freshness measure's) outcome for one dataset."""

    dataset: str
    check_name: str
    expectation: str
    expectation_type: str
    column_name: str | None
    severity: str
    success: bool
    unexpected_count: int | None
    element_count: int | None
    observed: str | None
    rows_total: int | None
    sampled: bool
    checked_at: datetime
    run_id: str | None = None

    @property
    def failed_error(self) -> bool:
        return not self.success and self.severity == "error"


def to_json(value: Any, limit: int = 2_000) -> str | None:
    """A compact JSON text of an observed value (dates as ISO strings), cut at `limit` chars."""
    if value is None:
        return None
    text = json.dumps(value, default=str, separators=(",", ":"))
    return text if len(text) <= limit else text[: limit - 1] + "…"


def results_frame(results: Iterable[CheckResult]) -> pl.DataFrame:
    """Records as a frame of exactly RESULT_SCHEMA."""
    rows = [asdict(r) for r in results]
    return (
        pl.DataFrame(rows, schema=RESULT_SCHEMA, orient="row")
        if rows
        else pl.DataFrame(schema=RESULT_SCHEMA)
    )


def quality_dir(data_dir: Path) -> Path:
    """`$ITOT_DATA/quality`."""
    return paths.quality_dir(data_dir)


def ensure_schema_file(data_dir: Path) -> Path:
    """Write the folder's zero-row `schema.parquet` unless it exists (dbt reads the folder even
    before any check ran), and remove its former name, `_schema.parquet`."""
    folder = quality_dir(data_dir)
    path = folder / SCHEMA_FILE
    if not path.exists():
        write_parquet_atomic(pl.DataFrame(schema=RESULT_SCHEMA), path)
    (folder / paths.LEGACY_SCHEMA_FILE).unlink(missing_ok=True)
    return path


def write_results(data_dir: Path, dataset: str, results: Sequence[CheckResult]) -> Path:
    """Replace the dataset's result file (atomic) and make sure the schema file exists."""
    folder = quality_dir(data_dir)
    ensure_schema_file(data_dir)
    path = folder / f"{dataset}.parquet"
    write_parquet_atomic(results_frame(results), path)
    return path


def read_results(data_dir: Path) -> pl.DataFrame:
    """Every dataset's latest results (empty frame of RESULT_SCHEMA when there are none)."""
    files = sorted(quality_dir(data_dir).glob("*.parquet"))
    frames = [pl.read_parquet(f) for f in files]
    frames = [f for f in frames if f.height]
    return (
        pl.concat(frames, how="diagonal_relaxed") if frames else pl.DataFrame(schema=RESULT_SCHEMA)
    )


@dataclass(frozen=True)
class Outcome:
    """A check's verdict over its records: passed, and "error" or "warning" if it did not."""

    passed: bool
    severity: str  # error | warning (of the worst failed record; "warning" when passed)
    failed: list[CheckResult]
    total: int


def outcome(records: Sequence[CheckResult]) -> Outcome:
    """Errors win: any failed error-severity record makes the check an error (blocking)."""
    failed = [r for r in records if not r.success]
    severity = "error" if any(r.failed_error for r in failed) else "warning"
    return Outcome(passed=not failed, severity=severity, failed=failed, total=len(records))
