"""The serving snapshot: what the dashboards and `itot kpis` read."""

import dagster as dg

from orchestration import engine, paths
from orchestration.defs.dbt.assets import load_manifest, mart_model_names
from orchestration.defs.governance.assets import GOVERNANCE_TABLE_KEYS
from orchestration.defs.predict.assets import PREDICTION_TABLE_KEYS
from orchestration.defs.resources import ItotPaths
from orchestration.serving import publish_snapshot


def build_serving_snapshot() -> dg.AssetsDefinition:
    @dg.asset(
        name="serving_snapshot",
        group_name="serving",
        deps=[
            *(dg.AssetKey(name) for name in mart_model_names(load_manifest())),
            *PREDICTION_TABLE_KEYS,
            *GOVERNANCE_TABLE_KEYS,
        ],
        kinds={"duckdb"},
        description=(
            "`$ITOT_DATA/serving.duckdb`: every dbt mart plus the ingest ledger, quarantine "
            "reasons, dbt test results and the prediction tables, built aside and swapped in "
            "by an atomic rename, so readers never block a build or see half of one."
        ),
    )
    def serving_snapshot(
        context: dg.AssetExecutionContext, itot_paths: ItotPaths
    ) -> dg.MaterializeResult:
        data = itot_paths.data_dir()
        on = engine.current_engine()
        summary = publish_snapshot(
            engine.warehouse_location(data, on), data, paths.serving_path(data), on=on
        )
        context.log.info(f"published {summary.path} with {len(summary.tables)} tables ({on} marts)")
        return dg.MaterializeResult(
            metadata={
                "path": dg.MetadataValue.path(str(summary.path)),
                "tables": dg.MetadataValue.int(len(summary.tables)),
                "row_counts": dg.MetadataValue.json(summary.tables),
                **{f"rows.{table}": dg.MetadataValue.int(n) for table, n in summary.tables.items()},
            }
        )

    return serving_snapshot
