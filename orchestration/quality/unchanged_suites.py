"""Whether a bronze dataset's last expectation results still hold, so GX need not run again.

A dataset's expectation results are a function of its bronze files and of its suite (the
expectations, their arguments and the reference time `as_of` they are judged at, and the sample
size). After each validation the suite's fingerprint and the time the validation started are
recorded (`$ITOT_DATA/state/quality_suites.json`); the next check of the dataset keeps the stored
expectation records when the suite's fingerprint is the same, every stored expectation passed,
and no bronze day folder of the dataset was written or had a file added or removed since
(`unchanged_models.changed_since`, the rule dbt's kept models follow). The suite is fingerprinted
at a fixed `now` (SUITE_NOW): the current time enters a suite only as the upper bound of reject
times (now + 1 day), which only grows, so an expectation that passed still passes. Freshness is
measured again on every check. A copied data folder (modification times kept) keeps its results
too.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

import polars as pl

from orchestration import paths
from orchestration.quality.results import (
    EXPECTATIONS_CHECK,
    RESULT_SCHEMA,
    CheckResult,
    quality_dir,
)
from orchestration.quality.suites import ExpectationSpec
from orchestration.state_records import read_record, write_record
from orchestration.transform.unchanged_models import changed_since

STATE_FILE = "quality_suites.json"  # in the state folder
SUITE_NOW = datetime(2000, 1, 1, tzinfo=UTC)  # `now` of a fingerprinted suite (the docstring)


def suite_fingerprint(specs: Sequence[ExpectationSpec], max_rows: int) -> str:
    """SHA-256 of a dataset's expectations as they would run (arguments and `as_of` included),
    built with `now=SUITE_NOW`."""
    return hashlib.sha256(repr((list(specs), max_rows)).encode()).hexdigest()


def _state_path(data_dir: Path) -> Path:
    return paths.state_dir(data_dir) / STATE_FILE


def _records(data_dir: Path) -> dict:
    return read_record(_state_path(data_dir))


def kept_expectation_results(data_dir: Path, dataset: str, suite: str) -> list[CheckResult] | None:
    """The dataset's stored expectation records when they still hold (the module docstring),
    else None (validate again)."""
    record = _records(data_dir).get(dataset)
    if not isinstance(record, dict) or record.get("suite") != suite:
        return None
    started = record.get("started_at")
    stored = quality_dir(data_dir) / f"{dataset}.parquet"
    if not isinstance(started, int | float) or not stored.is_file():
        return None
    if changed_since(paths.bronze_dir(data_dir) / dataset, float(started)):
        return None
    frame = pl.read_parquet(stored)
    if frame.columns != list(RESULT_SCHEMA):  # written before the record had its fields
        return None
    frame = frame.filter(pl.col("check_name") == EXPECTATIONS_CHECK)
    if frame.is_empty() or not frame["success"].all():
        return None
    return [CheckResult(**row) for row in frame.iter_rows(named=True)]


def record_validation(data_dir: Path, dataset: str, suite: str, started_at: float) -> None:
    """Record that the dataset was validated with `suite`, starting at `started_at` (epoch s);
    atomically (a kill leaves the old record)."""
    records = _records(data_dir)
    records[dataset] = {"suite": suite, "started_at": started_at}
    write_record(_state_path(data_dir), records)
