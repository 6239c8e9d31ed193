"""The landing zone as an asset: every file, its detected format and checksum."""

import dagster as dg

from orchestration.defs.resources import ItotPaths
from orchestration.ingest.landing import LandingScan, scan_landing


def files_by_format(scan: LandingScan) -> dict[str, int]:
    """Landing files per detected format ("unrecognised" for files of no known format)."""
    counts = scan.frame.get_column("format").fill_null("unrecognised").value_counts()
    return dict(sorted(zip(counts[:, 0].to_list(), counts[:, 1].to_list(), strict=True)))


@dg.asset(
    group_name="landing",
    kinds={"polars", "parquet"},
    description=(
        "One row per landing file: path, detected format, checksum (`$ITOT_DATA/landing_files"
        ".parquet`). Files of no known format are quarantined whole here."
    ),
)
def landing_files(context: dg.AssetExecutionContext, itot_paths: ItotPaths) -> dg.MaterializeResult:
    landing, data = itot_paths.landing_dir(), itot_paths.data_dir()
    scan = scan_landing(landing, data)
    context.log.info(f"{landing}: {scan.files} files, {scan.unrecognised} unrecognised")
    return dg.MaterializeResult(
        metadata={
            "landing_dir": dg.MetadataValue.path(str(landing)),
            "files": dg.MetadataValue.int(int(scan.files)),
            "recognised": dg.MetadataValue.int(int(scan.recognised)),
            "unrecognised": dg.MetadataValue.int(int(scan.unrecognised)),
            "files_by_format": dg.MetadataValue.json(files_by_format(scan)),
        }
    )
