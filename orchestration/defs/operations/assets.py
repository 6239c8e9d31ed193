"""Operations bronze asset: the process log (who, human or system, did each task)."""

from orchestration.defs.ingest_assets import build_bronze_assets

DATASETS = ("process_events",)

operations_assets = build_bronze_assets(
    DATASETS,
    group="operations",
    descriptions={
        "process_events": "Operations process log: one row per activity of an order, incident "
        "or dispute case.",
    },
)
