"""Network (OT) bronze assets: PM counters, alarms, inventory."""

from orchestration.defs.ingest_assets import build_bronze_assets

DATASETS = ("pm_counters", "alarm_events", "ves_events", "inventory_cells")

network_assets = build_bronze_assets(
    DATASETS,
    group="network",
    descriptions={
        "pm_counters": "3GPP TS 32.435 PM counters: one row per NE, cell, counter and period.",
        "alarm_events": "ONAP VES 7.x fault events: one row per raise or clear.",
        "ves_events": "Other VES events (heartbeat, notification, other stndDefined and "
        "domains): one row per event, kept for completeness.",
        "inventory_cells": "Cell inventory: one row per cell.",
    },
)
