"""The asset factory every domain shares: one thin bronze asset per dataset."""

import warnings
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import dagster as dg

from orchestration.defs.partitions import BACKFILL_TAG, DAILY, partition_days, unrecorded_days
from orchestration.defs.resources import ItotPaths
from orchestration.ingest.bronze import dataset_dir
from orchestration.ingest.days import is_dated
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
        "unchanged_files": dg.MetadataValue.int(int(summary.unchanged)),
        "days": dg.MetadataValue.json(days),
        "first_day": dg.MetadataValue.text(days[0] if days else ""),
        "last_day": dg.MetadataValue.text(days[-1] if days else ""),
        "reasons": dg.MetadataValue.json(dict(summary.reasons)),
    }


def day_materialization(
    key: dg.AssetKey, data_dir: Path, dataset: str, day: str
) -> dg.AssetMaterialization:
    """The materialisation of one day partition a run wrote: the UI shows the day built."""
    folder = dataset_dir(data_dir, dataset) / f"day={day}"
    files = sum(1 for p in folder.glob("*.parquet") if not p.name.startswith("."))
    return dg.AssetMaterialization(
        asset_key=key,
        partition=day,
        metadata={
            "bronze_folder": dg.MetadataValue.path(str(folder)),
            "source_files": dg.MetadataValue.int(files),
        },
    )


def build_bronze_assets(
    datasets: Sequence[str], *, group: str, descriptions: Mapping[str, str]
) -> list[dg.AssetsDefinition]:
    """One `bronze_<dataset>` asset per dataset, each reading the landing files of its formats."""
    return [_bronze_asset(dataset, group, descriptions.get(dataset, "")) for dataset in datasets]


def _bronze_asset(dataset: str, group: str, description: str) -> dg.AssetsDefinition:
    dated = is_dated(dataset)
    partitioning = (
        "Daily partitions (UTC): a day's run ingests the landing files that touch that day."
        if dated
        else "Not partitioned: its rows carry no day."
    )

    with warnings.catch_warnings():  # BackfillPolicy is "beta": the warning says nothing new
        warnings.simplefilter("ignore", dg.BetaWarning)
        return _define_bronze_asset(dataset, group, description, dated, partitioning)


def _define_bronze_asset(
    dataset: str, group: str, description: str, dated: bool, partitioning: str
) -> dg.AssetsDefinition:
    @dg.asset(
        key=bronze_asset_key(dataset),
        group_name=group,
        deps=[LANDING_FILES],
        kinds={"polars", "parquet"},
        partitions_def=DAILY if dated else None,
        backfill_policy=dg.BackfillPolicy.single_run() if dated else None,
        description=(
            f"{description}\n\nBronze Parquet under `$ITOT_DATA/bronze/{dataset}/`, one file per "
            "source file and UTC day; rejected records go to quarantine, one ledger row per file. "
            + partitioning
        ),
    )
    def _asset(
        context: dg.AssetExecutionContext, itot_paths: ItotPaths
    ) -> Iterator[dg.AssetMaterialization | dg.MaterializeResult]:
        days = partition_days(context) if dated else None
        data = itot_paths.data_dir()
        # A backfill launched from the UI redoes its days: unchanged files are ingested again.
        summary = ingest_dataset(
            dataset,
            itot_paths.landing_dir(),
            data,
            days=days,
            reingest=BACKFILL_TAG in context.run.tags,
        )
        context.log.info(
            f"{dataset}: {summary.files} files, {summary.rows_loaded}/{summary.rows_in} rows "
            f"loaded, {summary.rows_quarantined} quarantined, {summary.unchanged} unchanged "
            "files not read again"
        )
        # A run without partitions (`itot build`) wrote day partitions too: record each one,
        # so the UI's partitions show what is built (Dagster records only a run's own days).
        for day in unrecorded_days(summary.days, days) if dated else []:
            yield day_materialization(context.asset_key, data, dataset, day)
        yield dg.MaterializeResult(metadata=ingest_metadata(summary))

    return _asset
