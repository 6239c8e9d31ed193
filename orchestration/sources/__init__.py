"""Pure parsers, one module per landing format (no Dagster imports).

Each module exposes FORMAT, DATASET, SCHEMA (bronze columns without lineage, in order) and
`parse(path) -> ParseResult`; a module either sets `STATIC = True` (bronze `day=static`) or
defines `day_of(rows) -> pl.Series` (the UTC day each row belongs to).
"""

from __future__ import annotations

from types import ModuleType

from orchestration.sources import (
    inventory_csv,
    pm_xml,
    process_log_csv,
    survey_csv,
    tmf621_trouble_ticket,
    tmf622_order_event,
    tmf622_product_order,
    tmf629_customer,
    tmf635_usage,
    tmf678_billing_rate,
    tmf678_customer_bill,
    ves_json,
)

PARSERS: tuple[ModuleType, ...] = (
    pm_xml,
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
)
BY_FORMAT: dict[str, ModuleType] = {m.FORMAT: m for m in PARSERS}
BY_DATASET: dict[str, ModuleType] = {m.DATASET: m for m in PARSERS}
FORMAT_TO_DATASET: dict[str, str] = {m.FORMAT: m.DATASET for m in PARSERS}
DATASETS: tuple[str, ...] = tuple(m.DATASET for m in PARSERS)


def parser_for_format(fmt: str) -> ModuleType:
    """The parser module of a format (KeyError if unknown)."""
    return BY_FORMAT[fmt]


def parser_for_dataset(dataset: str) -> ModuleType:
    """The parser module that feeds a bronze dataset (KeyError if unknown)."""
    return BY_DATASET[dataset]
