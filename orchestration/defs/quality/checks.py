"""Data-quality asset checks on every bronze asset: its expectation suite and its freshness.

`data_quality_results` runs the suites (it is downstream of every bronze asset and reads the other
sources to judge times and freshness) and writes `$ITOT_DATA/quality/<dataset>.parquet`; one
multi-asset check step after it reports two checks per bronze asset from those results:
- `expectations`: the dataset's Great Expectations suite. A failed error-severity expectation
  fails the check with ERROR severity: the dataset is blocked, and the dbt step holds back only
  the models that read it (`orchestration.quality.blocking`; the metadata names them), while
  every other model and the serving snapshot are built. Warnings fail it with WARN severity.
  Not a Dagster blocking check: that would skip the whole dbt step, every dataset's models.
- `freshness` (WARN): the source lags the landing zone's newest record or file by more than its
  threshold (`orchestration.quality.freshness.MAX_LAG_HOURS`).
Executed alone, the checks report the latest results `data_quality_results` wrote.
"""

import json
from collections.abc import Iterator, Sequence
from typing import Any

import dagster as dg
import polars as pl

from orchestration.defs.dbt.assets import load_manifest
from orchestration.defs.ingest_assets import bronze_asset_key
from orchestration.defs.quality.assets import DATA_QUALITY_RESULTS
from orchestration.defs.resources import ItotPaths
from orchestration.quality.blocking import blocked_datasets, held_back_models
from orchestration.quality.results import (
    EXPECTATIONS_CHECK,
    FRESHNESS_CHECK,
    CheckResult,
    Outcome,
    outcome,
    read_results,
    results_frame,
)

_FAILED_SHOWN = 20


def bronze_check_specs(datasets: Sequence[str]) -> list[dg.AssetCheckSpec]:
    """Two checks per bronze asset, `expectations` and `freshness`, after `data_quality_results`."""
    specs = []
    for dataset in datasets:
        key = bronze_asset_key(dataset)
        specs.append(
            dg.AssetCheckSpec(
                EXPECTATIONS_CHECK,
                asset=key,
                additional_deps=[DATA_QUALITY_RESULTS],
                description=(
                    f"Great Expectations suite of `{dataset}`, derived from its spec: schema, "
                    "types, keys, required fields, ranges, enums, plausible times. An ERROR "
                    "blocks the dataset: the dbt models that read it keep their last good "
                    "version and are marked stale; everything else is built."
                ),
            )
        )
        specs.append(
            dg.AssetCheckSpec(
                FRESHNESS_CHECK,
                asset=key,
                additional_deps=[DATA_QUALITY_RESULTS],
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


def check_metadata(
    records: Sequence[CheckResult], verdict: Outcome, held_back: Sequence[str] = ()
) -> dict[str, Any]:
    """What the UI shows for one check: counts, the failures, every expectation's result and,
    for a blocked dataset, the block and the dbt models it holds back."""
    first = records[0] if records else None
    failed = [_record_row(r) for r in verdict.failed[:_FAILED_SHOWN]]
    blocks = blocked_datasets(results_frame(records))
    blocked = (
        {
            "blocked": dg.MetadataValue.text(blocks[0].line),
            "held_back_models": dg.MetadataValue.json(list(held_back)),
        }
        if blocks
        else {}
    )
    return {
        **blocked,
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


def _result(
    dataset: str, check_name: str, records: Sequence[CheckResult], held_back: Sequence[str] = ()
) -> dg.AssetCheckResult:
    verdict = outcome(records)
    severity = (
        dg.AssetCheckSeverity.ERROR if verdict.severity == "error" else dg.AssetCheckSeverity.WARN
    )
    return dg.AssetCheckResult(
        asset_key=bronze_asset_key(dataset),
        check_name=check_name,
        passed=verdict.passed,
        severity=severity,
        metadata=check_metadata(records, verdict, held_back),
        description=_description(records, verdict, held_back),
    )


def _description(
    records: Sequence[CheckResult], verdict: Outcome, held_back: Sequence[str]
) -> str | None:
    if verdict.passed:
        return None
    failed = "failed: " + json.dumps([r.expectation for r in verdict.failed][:_FAILED_SHOWN])
    blocks = blocked_datasets(results_frame(records))
    if not blocks:
        return failed
    return f"{blocks[0].line}; holds back {len(held_back)} dbt models (stale). {failed}"


def records_of(results: pl.DataFrame, dataset: str) -> list[CheckResult]:
    """The dataset's latest result records, as written by `data_quality_results`."""
    rows = results.filter(pl.col("dataset") == dataset).to_dicts()
    return [CheckResult(**{k: row[k] for k in CheckResult.__dataclass_fields__}) for row in rows]


def build_bronze_quality_checks(datasets: Sequence[str]) -> dg.AssetChecksDefinition:
    """The checks of every bronze dataset, run as one subsettable step."""
    datasets = tuple(datasets)
    by_key = {bronze_asset_key(d): d for d in datasets}

    @dg.multi_asset_check(
        name="bronze_quality_checks",
        specs=bronze_check_specs(datasets),
        can_subset=True,
        description="Great Expectations suites and freshness of the bronze datasets, as "
        "`data_quality_results` last ran them.",
    )
    def bronze_quality_checks(
        context: dg.AssetCheckExecutionContext, itot_paths: ItotPaths
    ) -> Iterator[dg.AssetCheckResult]:
        selected = context.selected_asset_check_keys
        wanted = sorted({by_key[k.asset_key] for k in selected}, key=datasets.index)
        results = read_results(itot_paths.data_dir())
        for dataset in wanted:
            records = records_of(results, dataset)
            held_back = list(held_back_models(load_manifest(), [dataset]))
            for check_name in (EXPECTATIONS_CHECK, FRESHNESS_CHECK):
                mine = [r for r in records if r.check_name == check_name]
                key = dg.AssetCheckKey(bronze_asset_key(dataset), check_name)
                if key in selected and mine:
                    context.log.info(
                        f"{dataset} {check_name}: {sum(r.success for r in mine)}/{len(mine)} ok"
                    )
                    yield _result(dataset, check_name, mine, held_back)

    return bronze_quality_checks
