"""`data_quality_results`: run every bronze dataset's expectation suite and freshness measures.

Downstream of every bronze asset, it validates the datasets of the run (Great Expectations over
bronze, `orchestration.quality.dataset_checks`) and writes `$ITOT_DATA/quality/<dataset>.parquet`.
It is the Dagster key of the dbt source `quality.check_results`, so the dbt step starts after it
and reads which datasets are blocked (`orchestration.quality.blocking`); the bronze assets'
`expectations` and `freshness` checks report these results in the UI.
"""

from collections.abc import Sequence

import dagster as dg
import polars as pl

from orchestration.defs.ingest_assets import bronze_asset_key
from orchestration.defs.resources import ItotPaths
from orchestration.quality.blocking import blocked_datasets
from orchestration.quality.dataset_checks import check_datasets
from orchestration.quality.results import (
    ensure_schema_file,
    quality_dir,
    read_results,
)

DATA_QUALITY_RESULTS = dg.AssetKey("data_quality_results")


def datasets_of_run(datasets: Sequence[str], selection: set[dg.AssetKey] | None) -> list[str]:
    """The datasets whose bronze asset the run materialises; all of them when the run selects
    everything (no selection) or no bronze asset (the results alone, re-run from the UI)."""
    mine = [d for d in datasets if selection and bronze_asset_key(d) in selection]
    return mine or list(datasets)


def build_data_quality_results(datasets: Sequence[str]) -> dg.AssetsDefinition:
    datasets = tuple(datasets)

    @dg.asset(
        key=DATA_QUALITY_RESULTS,
        group_name="quality",
        deps=[bronze_asset_key(d) for d in datasets],
        kinds={"great_expectations", "parquet"},
        description=(
            "Runs each bronze dataset's expectation suite and freshness measures and writes the "
            "results (`$ITOT_DATA/quality/*.parquet`): one row per expectation or freshness "
            "measure. Read by dbt as `quality.check_results`; a dataset with a failed ERROR "
            "expectation holds back the dbt models that read it."
        ),
    )
    def data_quality_results(
        context: dg.AssetExecutionContext, itot_paths: ItotPaths
    ) -> dg.MaterializeResult:
        data = itot_paths.data_dir()
        selection = context.run.asset_selection
        check_datasets(
            data,
            datasets_of_run(datasets, set(selection) if selection is not None else None),
            all_datasets=datasets,
            run_id=context.run.run_id,
        )
        ensure_schema_file(data)
        frame = read_results(data)
        failed = frame.filter(~pl.col("success"))
        by_severity = dict(failed.group_by("severity").len().iter_rows()) if failed.height else {}
        stale = sorted(
            failed.filter(pl.col("check_name") == "freshness").get_column("dataset").unique()
        )
        blocks = blocked_datasets(frame)
        for block in blocks:
            context.log.warning(block.line)
        context.log.info(f"{frame.height} results, {failed.height} failed")
        return dg.MaterializeResult(
            metadata={
                "results": dg.MetadataValue.int(frame.height),
                "datasets": dg.MetadataValue.int(frame.get_column("dataset").n_unique()),
                "failed_errors": dg.MetadataValue.int(int(by_severity.get("error", 0))),
                "failed_warnings": dg.MetadataValue.int(int(by_severity.get("warning", 0))),
                "stale_datasets": dg.MetadataValue.json(stale),
                "blocked_datasets": dg.MetadataValue.json({b.dataset: b.line for b in blocks}),
                "path": dg.MetadataValue.path(str(quality_dir(data))),
            }
        )

    return data_quality_results
