"""`data_quality_results`: the latest check results of every bronze dataset, for dbt.

The checks write `$ITOT_DATA/quality/<dataset>.parquet`; this asset runs after them (it is
downstream of every bronze asset, and the `expectations` checks are blocking, so Dagster starts it
only once they have run) and is the Dagster key of the dbt source `quality.check_results`. That
orders the mart `fct_data_quality_results` after the checks.
"""

from collections.abc import Sequence

import dagster as dg
import polars as pl

from orchestration.defs.ingest_assets import bronze_asset_key
from orchestration.defs.resources import ItotPaths
from orchestration.ingest.files import write_parquet_atomic
from orchestration.quality.results import (
    RESULT_SCHEMA,
    SCHEMA_FILE,
    quality_dir,
    read_results,
)

DATA_QUALITY_RESULTS = dg.AssetKey("data_quality_results")


def build_data_quality_results(datasets: Sequence[str]) -> dg.AssetsDefinition:
    @dg.asset(
        key=DATA_QUALITY_RESULTS,
        group_name="quality",
        deps=[bronze_asset_key(d) for d in datasets],
        kinds={"great_expectations", "parquet"},
        description=(
            "Latest data-quality check results per bronze dataset (`$ITOT_DATA/quality/*.parquet`"
            "): one row per expectation or freshness measure. Read by dbt as "
            "`quality.check_results`."
        ),
    )
    def data_quality_results(
        context: dg.AssetExecutionContext, itot_paths: ItotPaths
    ) -> dg.MaterializeResult:
        data = itot_paths.data_dir()
        schema_file = quality_dir(data) / SCHEMA_FILE
        if not schema_file.exists():  # dbt reads the folder even before any check has run
            write_parquet_atomic(pl.DataFrame(schema=RESULT_SCHEMA), schema_file)
        frame = read_results(data)
        failed = frame.filter(~pl.col("success"))
        by_severity = dict(failed.group_by("severity").len().iter_rows()) if failed.height else {}
        stale = sorted(
            failed.filter(pl.col("check_name") == "freshness").get_column("dataset").unique()
        )
        context.log.info(f"{frame.height} results, {failed.height} failed")
        return dg.MaterializeResult(
            metadata={
                "results": dg.MetadataValue.int(frame.height),
                "datasets": dg.MetadataValue.int(frame.get_column("dataset").n_unique()),
                "failed_errors": dg.MetadataValue.int(int(by_severity.get("error", 0))),
                "failed_warnings": dg.MetadataValue.int(int(by_severity.get("warning", 0))),
                "stale_datasets": dg.MetadataValue.json(stale),
                "path": dg.MetadataValue.path(str(quality_dir(data))),
            }
        )

    return data_quality_results
