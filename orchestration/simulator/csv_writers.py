"""CSV exports: inventory, survey responses and the operations process log."""

from __future__ import annotations

from pathlib import Path

from .automation import ProcessEvent
from .jsonio import write_csv
from .network import Network
from .surveys import Survey
from .timefmt import Period, iso

INVENTORY_HEADER = [
    "site_id",
    "site_name",
    "region",
    "latitude",
    "longitude",
    "cell_id",
    "cell_name",
    "technology",
    "vendor",
    "band",
    "ne_id",
    "meas_obj_ldn",
    "install_date",
]


def write_inventory(out: Path, net: Network) -> None:
    rows = (
        (
            f"SITE-{net.site_idx[i] + 1:04d}",
            f"{net.region[i]} site {net.site_idx[i] + 1}",
            net.region[i],
            f"{net.lat[i]:.6f}",
            f"{net.lon[i]:.6f}",
            net.cell_ids[i],
            f"{net.region[i][:3].upper()}{net.site_idx[i] + 1:04d}"
            f"-{net.tech[i]}-{net.local_idx[i]}",
            net.tech[i],
            net.vendor[i],
            net.band[i],
            net.ne_ids[i],
            net.ldns[i],
            net.install_date[i],
        )
        for i in range(net.n)
    )
    write_csv(out / "inventory" / "cells.csv", INVENTORY_HEADER, rows)


def write_surveys(out: Path, surveys: list[Survey], period: Period) -> None:
    rows = (
        (
            s.id,
            f"CUST-{s.customer + 1:07d}",
            iso(period.day_t0(s.day))[:10],
            s.channel,
            s.nps,
            s.csat,
        )
        for s in surveys
    )
    write_csv(
        out / "surveys" / "survey_responses.csv",
        ["response_id", "customer_id", "response_date", "channel", "nps_score", "csat_score"],
        rows,
    )


def sort_process_events(events: list[ProcessEvent]) -> list[ProcessEvent]:
    """Chronological, ties broken by case and activity so the order is stable."""
    return sorted(events, key=lambda e: (e[3], e[0], e[2]))


def write_process_log(out: Path, events: list[ProcessEvent]) -> None:
    rows = (
        (f"EV-{i + 1:08d}", e[0], e[1], e[2], iso(e[3]), e[4], e[5], e[6])
        for i, e in enumerate(events)
    )
    write_csv(
        out / "process_log" / "process_events.csv",
        [
            "event_id",
            "case_id",
            "workflow",
            "activity",
            "timestamp",
            "resource",
            "resource_type",
            "task_category",
        ],
        rows,
    )
