"""Inventory export (CSV) -> one row per cell, with its site, NE and PM object name.

`meas_obj_ldn` is the exact measObjLdn the PM files use for the cell: it is the join key from
counters to cells. Coordinates are WGS84 degrees.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from orchestration.sources.csv_common import Column, parse_csv, schema_of
from orchestration.sources.result import ParseResult

FORMAT = "inventory_csv"
DATASET = "inventory_cells"
COLUMNS = [
    Column("site_id", "site_id", required=True),
    Column("site_name", "site_name"),
    Column("region", "region"),
    Column(
        "latitude",
        "latitude",
        "float",
        check=lambda v: v.is_between(-90, 90),
        check_text="out of range -90..90",
    ),
    Column(
        "longitude",
        "longitude",
        "float",
        check=lambda v: v.is_between(-180, 180),
        check_text="out of range -180..180",
    ),
    Column("cell_id", "cell_id", required=True),
    Column("cell_name", "cell_name"),
    Column("technology", "technology"),
    Column("vendor", "vendor"),
    Column("band", "band"),
    Column("ne_id", "ne_id", required=True),
    Column("meas_obj_ldn", "meas_obj_ldn", required=True),
    Column("install_date", "install_date", "date"),
]
SCHEMA: dict[str, pl.DataType] = schema_of(COLUMNS)
STATIC = True  # bronze day partition: day=static


def parse(path: Path) -> ParseResult:
    """Parse one inventory CSV; never raises on bad input."""
    return parse_csv(path, COLUMNS)
