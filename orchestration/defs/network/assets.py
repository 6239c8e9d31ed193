"""Network (OT) bronze assets: PM counters, alarms, inventory."""

from orchestration.defs.ingest_assets import build_bronze_assets

DATASETS = ("pm_counters", "alarm_events", "inventory_cells")

network_assets = build_bronze_assets(
    DATASETS,
    group="network",
    descriptions={
        "pm_counters": "3GPP TS 32.435 PM counters: one row per NE, cell, counter and period.",
        "alarm_events": "ONAP VES 7.x fault events: one row per raise or clear.",
        "inventory_cells": "Cell inventory: one row per cell.",
    },
)
