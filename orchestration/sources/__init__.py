"""Pure parsers, one module per landing format (no Dagster imports).

Each module exposes FORMAT, DATASET (its primary dataset), SCHEMA (bronze columns of DATASET
without lineage, in order) and `parse(path) -> ParseResult` (the rows of DATASET); a module
either sets `STATIC = True` (bronze `day=static`) or defines `day_of(rows) -> pl.Series`.

A format whose files can feed several datasets (a VES batch mixing faults, perf3gpp and
heartbeats) also exposes `DATASETS` (primary first) and `parse_all(path) -> dict[dataset,
ParseResult]`; every record of the file is in exactly one of those results. Records that fit
no dataset (and whole-file rejects) are rejected under the primary dataset.
"""

from __future__ import annotations

from types import ModuleType, SimpleNamespace
from typing import Any

from orchestration.sources import (
    inventory_csv,
    omes_xml,
    pm_xml,
    process_log_csv,
    process_log_ocel,
    process_log_xes,
    survey_csv,
    tmf621_trouble_ticket,
    tmf622_order_event,
    tmf622_product_order,
    tmf629_customer,
    tmf635_usage,
    tmf641_service_order,
    tmf642_alarm,
    tmf678_billing_rate,
    tmf678_customer_bill,
    tmf_event,
    ves_events,
    ves_json,
)

PARSERS: tuple[ModuleType, ...] = (
    pm_xml,
    omes_xml,
    ves_json,
    inventory_csv,
    tmf629_customer,
    tmf622_product_order,
    tmf622_order_event,
    tmf621_trouble_ticket,
    tmf678_customer_bill,
    tmf678_billing_rate,
    tmf635_usage,
    survey_csv,
    process_log_csv,
    process_log_xes,
    process_log_ocel,
    tmf641_service_order,
    tmf642_alarm,
    tmf_event,
)
# Dataset specs: what the bronze writer needs (DATASET, SCHEMA, day_of or STATIC). A dataset
# fed by several formats (pm_counters: PM XML and VES perf3gpp) has one spec, its owner's.
_SPECS: dict[str, Any] = {}
for _m in PARSERS:
    _SPECS.setdefault(_m.DATASET, _m)
_SPECS.setdefault(ves_events.DATASET, ves_events)

BY_FORMAT: dict[str, ModuleType] = {m.FORMAT: m for m in PARSERS}
BY_DATASET: dict[str, Any] = dict(_SPECS)
FORMAT_TO_DATASET: dict[str, str] = {m.FORMAT: m.DATASET for m in PARSERS}
FORMAT_DATASETS: dict[str, tuple[str, ...]] = {
    m.FORMAT: tuple(getattr(m, "DATASETS", (m.DATASET,))) for m in PARSERS
}
DATASETS: tuple[str, ...] = tuple(BY_DATASET)


def parser_for_format(fmt: str) -> ModuleType:
    """The parser module of a format (KeyError if unknown)."""
    return BY_FORMAT[fmt]


def parser_for_dataset(dataset: str) -> Any:
    """The spec (module) of a bronze dataset: DATASET, SCHEMA, day_of/STATIC (KeyError if none)."""
    return BY_DATASET[dataset]


def formats_for_dataset(dataset: str) -> tuple[str, ...]:
    """Every format whose files can feed `dataset`."""
    return tuple(f for f, ds in FORMAT_DATASETS.items() if dataset in ds)


def parse_all(parser: ModuleType, path: Any) -> dict[str, Any]:
    """{dataset: ParseResult} of one file (`parse_all` if the module has it, else `parse`)."""
    if hasattr(parser, "parse_all"):
        return parser.parse_all(path)
    return {parser.DATASET: parser.parse(path)}


__all__ = [
    "BY_DATASET",
    "BY_FORMAT",
    "DATASETS",
    "FORMAT_DATASETS",
    "FORMAT_TO_DATASET",
    "PARSERS",
    "SimpleNamespace",
    "formats_for_dataset",
    "parse_all",
    "parser_for_dataset",
    "parser_for_format",
]
