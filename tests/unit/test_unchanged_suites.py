"""A dataset's expectation results are kept while its bronze and its suite stay the same."""

from __future__ import annotations

import os
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import polars as pl

from orchestration.quality.results import (
    EXPECTATIONS_CHECK,
    FRESHNESS_CHECK,
    CheckResult,
    write_results,
)
from orchestration.quality.suites import ExpectationSpec
from orchestration.quality.unchanged_suites import (
    kept_expectation_results,
    record_validation,
    suite_fingerprint,
)


def _result(check: str, expectation: str) -> CheckResult:
    return CheckResult(
        dataset="orders",
        check_name=check,
        expectation=expectation,
        expectation_type=expectation,
        column_name=None,
        severity="error",
        success=True,
        unexpected_count=0,
        element_count=10,
        observed=None,
        rows_total=10,
        sampled=False,
        checked_at=datetime(2026, 1, 1, tzinfo=UTC),
        run_id="r1",
    )


def _bronze_file(data: Path, mtime: float) -> Path:
    path = data / "bronze" / "orders" / "day=2026-01-01" / "part.parquet"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"x")
    os.utime(path, (mtime, mtime))
    os.utime(path.parent, (mtime, mtime))
    return path


def test_the_suite_fingerprint_follows_expectations_arguments_and_sample_size() -> None:
    one = [
        ExpectationSpec(type="expect_column_values_to_not_be_null", severity="error", column="a")
    ]
    other = [
        ExpectationSpec(type="expect_column_values_to_be_unique", severity="error", column="a")
    ]
    assert suite_fingerprint(one, 100) == suite_fingerprint(list(one), 100)
    assert suite_fingerprint(one, 100) != suite_fingerprint(other, 100)
    assert suite_fingerprint(one, 100) != suite_fingerprint(one, 200)


def test_results_are_kept_until_bronze_or_the_suite_changes(tmp_path: Path) -> None:
    _bronze_file(tmp_path, 100.0)
    assert kept_expectation_results(tmp_path, "orders", "s1") is None  # never validated
    stored = [_result(EXPECTATIONS_CHECK, "e1"), _result(FRESHNESS_CHECK, "lag")]
    write_results(tmp_path, "orders", stored)
    record_validation(tmp_path, "orders", "s1", 200.0)

    assert kept_expectation_results(tmp_path, "orders", "s1") == stored[:1]  # freshness not kept
    assert kept_expectation_results(tmp_path, "orders", "s2") is None  # another suite
    assert kept_expectation_results(tmp_path, "customers", "s1") is None  # another dataset

    _bronze_file(tmp_path, 300.0)  # the day was written again after the validation started
    assert kept_expectation_results(tmp_path, "orders", "s1") is None
    record_validation(tmp_path, "orders", "s1", 400.0)
    assert kept_expectation_results(tmp_path, "orders", "s1") == stored[:1]
    (tmp_path / "quality" / "orders.parquet").unlink()  # the results are gone: validate
    assert kept_expectation_results(tmp_path, "orders", "s1") is None
    failed = replace(stored[0], success=False)  # a failure may pass later (now moves): validate
    write_results(tmp_path, "orders", [failed])
    assert kept_expectation_results(tmp_path, "orders", "s1") is None
    write_results(tmp_path, "orders", stored)
    assert kept_expectation_results(tmp_path, "orders", "s1") == stored[:1]
    older = pl.read_parquet(tmp_path / "quality" / "orders.parquet").drop("run_id")
    older.write_parquet(tmp_path / "quality" / "orders.parquet")  # an older record layout
    assert kept_expectation_results(tmp_path, "orders", "s1") is None
