"""The asset factory every domain shares: one thin bronze asset per dataset."""

from collections.abc import Mapping, Sequence
from typing import Any

import dagster as dg

from orchestration.defs.resources import ItotPaths
from orchestration.ingest.run import IngestSummary, ingest_dataset

LANDING_FILES = dg.AssetKey("landing_files")


def bronze_asset_key(dataset: str) -> dg.AssetKey:
    """`bronze_<dataset>`: the asset (and dbt source) that holds a bronze dataset."""
    return dg.AssetKey(f"bronze_{dataset}")


def ingest_metadata(summary: IngestSummary) -> dict[str, Any]:
    """Metadata a data engineer wants in the UI for one dataset's ingest run."""
    days = sorted(summary.days)
    return {
        "files": dg.MetadataValue.int(int(summary.files)),
        "rows_in": dg.MetadataValue.int(int(summary.rows_in)),
        "rows_loaded": dg.MetadataValue.int(int(summary.rows_loaded)),
        "rows_quarantined": dg.MetadataValue.int(int(summary.rows_quarantined)),
        "duplicate_deliveries": dg.MetadataValue.int(int(summary.duplicates)),
        "days": dg.MetadataValue.json(days),
        "first_day": dg.MetadataValue.text(days[0] if days else ""),
        "last_day": dg.MetadataValue.text(days[-1] if days else ""),
        "reasons": dg.MetadataValue.json(dict(summary.reasons)),
    }


def build_bronze_assets(
    datasets: Sequence[str], *, group: str, descriptions: Mapping[str, str]
) -> list[dg.AssetsDefinition]:
    """One `bronze_<dataset>` asset per dataset, each reading the landing files of its formats."""
    return [_bronze_asset(dataset, group, descriptions.get(dataset, "")) for dataset in datasets]


def _bronze_asset(dataset: str, group: str, description: str) -> dg.AssetsDefinition:
    @dg.asset(
        key=bronze_asset_key(dataset),
        group_name=group,
        deps=[LANDING_FILES],
        kinds={"polars", "parquet"},
        description=(
            f"{description}\n\nBronze Parquet under `$ITOT_DATA/bronze/{dataset}/`, one file per "
            "source file and UTC day; rejected records go to quarantine, one ledger row per file."
        ),
    )
    def _asset(context: dg.AssetExecutionContext, itot_paths: ItotPaths) -> dg.MaterializeResult:
        summary = ingest_dataset(dataset, itot_paths.landing_dir(), itot_paths.data_dir())
        context.log.info(
            f"{dataset}: {summary.files} files, {summary.rows_loaded}/{summary.rows_in} rows "
            f"loaded, {summary.rows_quarantined} quarantined"
        )
        return dg.MaterializeResult(metadata=ingest_metadata(summary))

    return _asset
