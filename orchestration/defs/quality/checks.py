"""Data-quality asset checks on every bronze asset: its expectation suite and its freshness.

One multi-asset check step runs after the bronze assets it checks (it reads the other sources to
judge times and freshness) and emits two checks per bronze asset:
- `expectations` (blocking): the dataset's Great Expectations suite. A failed error-severity
  expectation fails the check with ERROR severity, and Dagster then skips every asset downstream
  of that bronze asset in the run; warnings fail it with WARN severity and the run goes on.
- `freshness` (never blocking, WARN): the source lags the landing zone's newest record or file
  by more than its threshold (`orchestration.quality.freshness.MAX_LAG_HOURS`).
Every record also goes to `$ITOT_DATA/quality/<dataset>.parquet` for dbt and the dashboards.
"""

import json
from collections.abc import Iterator, Sequence
from typing import Any

import dagster as dg

from orchestration.defs.ingest_assets import bronze_asset_key
from orchestration.defs.resources import ItotPaths
from orchestration.quality.dataset_checks import check_datasets
from orchestration.quality.results import (
    EXPECTATIONS_CHECK,
    FRESHNESS_CHECK,
    CheckResult,
    Outcome,
    outcome,
)

_FAILED_SHOWN = 20


def bronze_check_specs(datasets: Sequence[str]) -> list[dg.AssetCheckSpec]:
    """Two checks per bronze asset: `expectations` (blocking) and `freshness`."""
    specs = []
    for dataset in datasets:
        key = bronze_asset_key(dataset)
        specs.append(
            dg.AssetCheckSpec(
                EXPECTATIONS_CHECK,
                asset=key,
                blocking=True,
                description=(
                    f"Great Expectations suite of `{dataset}`: schema, types, keys, nulls, ranges, "
                    "enums, plausible times. Error-severity failures block downstream assets."
                ),
            )
        )
        specs.append(
            dg.AssetCheckSpec(
                FRESHNESS_CHECK,
                asset=key,
                description=(
                    f"`{dataset}` delivers: its newest record and newest landing file lag the "
                    "newest of all sources by no more than its threshold (warning only)."
                ),
            )
        )
    return specs


def _record_row(record: CheckResult) -> dict[str, Any]:
    return {
        "expectation": record.expectation,
        "severity": record.severity,
        "success": record.success,
        "unexpected_count": record.unexpected_count,
        "observed": record.observed,
    }


def check_metadata(records: Sequence[CheckResult], verdict: Outcome) -> dict[str, Any]:
    """What the UI shows for one check: counts, the failures, and every expectation's result."""
    first = records[0] if records else None
    failed = [_record_row(r) for r in verdict.failed[:_FAILED_SHOWN]]
    return {
        "expectations": dg.MetadataValue.int(verdict.total),
        "failed_errors": dg.MetadataValue.int(sum(1 for r in verdict.failed if r.failed_error)),
        "failed_warnings": dg.MetadataValue.int(
            sum(1 for r in verdict.failed if not r.failed_error)
        ),
        "rows_total": dg.MetadataValue.int(int(first.rows_total or 0) if first else 0),
        "sampled": dg.MetadataValue.bool(bool(first.sampled) if first else False),
        "failures": dg.MetadataValue.json(failed),
        "results": dg.MetadataValue.md(results_table(records)),
    }


def results_table(records: Sequence[CheckResult]) -> str:
    """A Markdown table of every record (the UI renders it in the check's metadata)."""
    lines = ["| expectation | severity | ok | unexpected | observed |", "|---|---|---|---|---|"]
    for r in records:
        observed = (r.observed or "").replace("|", "\\|")
        observed = observed if len(observed) <= 120 else observed[:119] + "…"
        unexpected = "" if r.unexpected_count is None else str(r.unexpected_count)
        ok = "yes" if r.success else "**no**"
        lines.append(f"| `{r.expectation}` | {r.severity} | {ok} | {unexpected} | {observed} |")
    return "\n".join(lines)


def _result(dataset: str, check_name: str, records: Sequence[CheckResult]) -> dg.AssetCheckResult:
    verdict = outcome(records)
    severity = (
        dg.AssetCheckSeverity.ERROR if verdict.severity == "error" else dg.AssetCheckSeverity.WARN
    )
    return dg.AssetCheckResult(
        asset_key=bronze_asset_key(dataset),
        check_name=check_name,
        passed=verdict.passed,
        severity=severity,
        metadata=check_metadata(records, verdict),
        description=None
        if verdict.passed
        else "failed: " + json.dumps([r.expectation for r in verdict.failed][:_FAILED_SHOWN]),
    )


def build_bronze_quality_checks(datasets: Sequence[str]) -> dg.AssetChecksDefinition:
    """The checks of every bronze dataset, run as one subsettable step."""
    datasets = tuple(datasets)
    by_key = {bronze_asset_key(d): d for d in datasets}

    @dg.multi_asset_check(
        name="bronze_quality_checks",
        specs=bronze_check_specs(datasets),
        can_subset=True,
        description="Great Expectations suites and freshness of the bronze datasets.",
    )
    def bronze_quality_checks(
        context: dg.AssetCheckExecutionContext, itot_paths: ItotPaths
    ) -> Iterator[dg.AssetCheckResult]:
        selected = context.selected_asset_check_keys
        wanted = sorted({by_key[k.asset_key] for k in selected}, key=datasets.index)
        results = check_datasets(
            itot_paths.data_dir(), wanted, all_datasets=datasets, run_id=context.run.run_id
        )
        for dataset in wanted:
            records = results[dataset]
            for check_name in (EXPECTATIONS_CHECK, FRESHNESS_CHECK):
                if dg.AssetCheckKey(bronze_asset_key(dataset), check_name) in selected:
                    mine = [r for r in records if r.check_name == check_name]
                    context.log.info(
                        f"{dataset} {check_name}: {sum(r.success for r in mine)}/{len(mine)} ok"
                    )
                    yield _result(dataset, check_name, mine)

    return bronze_quality_checks
