"""Check bronze datasets: their expectation suites and freshness, written as result records."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime
from pathlib import Path

import polars as pl

from orchestration.ingest.dataset_spec import spec_for
from orchestration.quality.freshness import (
    Freshness,
    assess_freshness,
    newest_arrivals,
    newest_event_times,
    reference_times,
)
from orchestration.quality.gx_runner import SAMPLE_ROWS, validate_dataset
from orchestration.quality.results import FRESHNESS_CHECK, CheckResult, to_json, write_results
from orchestration.quality.suites import WARNING, bronze_columns, expectation_specs
from orchestration.quality.unchanged_suites import (
    SUITE_NOW,
    kept_expectation_results,
    record_validation,
    suite_fingerprint,
)


def freshness_results(
    item: Freshness, *, checked_at: datetime, run_id: str | None = None
) -> list[CheckResult]:
    """Two warning records per dataset: event lag and arrival lag against its threshold."""
    records = []
    for measure, lag, newest in (
        ("event_lag_hours", item.event_lag_hours, item.newest_event),
        ("arrival_lag_hours", item.arrival_lag_hours, item.newest_arrival),
    ):
        records.append(
            CheckResult(
                dataset=item.dataset,
                check_name=FRESHNESS_CHECK,
                expectation=f"{measure} <= {item.max_lag_hours:g}",
                expectation_type=measure,
                column_name=None,
                severity=WARNING,
                success=lag is None or lag <= item.max_lag_hours,
                unexpected_count=None,
                element_count=None,
                observed=to_json({"lag_hours": lag, "newest": newest, "max": item.max_lag_hours}),
                rows_total=None,
                sampled=False,
                checked_at=checked_at,
                run_id=run_id,
            )
        )
    return records


def check_datasets(
    data_dir: Path,
    datasets: Sequence[str],
    *,
    all_datasets: Iterable[str] | None = None,
    run_id: str | None = None,
    max_rows: int = SAMPLE_ROWS,
    columns_of: Callable[[str], dict[str, pl.DataType]] = bronze_columns,
    write: bool = True,
) -> dict[str, list[CheckResult]]:
    """Validate `datasets` (expectations + freshness), judged against `all_datasets` (the
    landing zone's other sources); write each dataset's records to `quality/<dataset>.parquet`.

    When writing, a dataset whose bronze and suite did not change since its last validation
    keeps its expectation records instead of running GX again
    (`orchestration.quality.unchanged_suites`); freshness is always measured again."""
    universe = list(dict.fromkeys([*(all_datasets or ()), *datasets]))
    events = newest_event_times(data_dir, universe)
    as_of = reference_times(events)
    freshness = {
        f.dataset: f for f in assess_freshness(events, newest_arrivals(data_dir), universe)
    }
    checked_at = datetime.now(UTC)
    out: dict[str, list[CheckResult]] = {}
    for dataset in datasets:
        spec, columns = spec_for(dataset), columns_of(dataset)
        suite = suite_fingerprint(
            expectation_specs(spec, columns, as_of=as_of.get(dataset), now=SUITE_NOW), max_rows
        )
        kept = kept_expectation_results(data_dir, dataset, suite) if write else None
        started = time.time()
        records = kept or validate_dataset(
            data_dir,
            dataset,
            spec,
            columns,
            as_of=as_of.get(dataset),
            max_rows=max_rows,
            run_id=run_id,
        )
        records += freshness_results(freshness[dataset], checked_at=checked_at, run_id=run_id)
        if write:
            write_results(data_dir, dataset, records)
            if kept is None:
                record_validation(data_dir, dataset, suite, started)
        out[dataset] = records
    return out
