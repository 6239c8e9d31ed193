"""Read the headline KPIs from the serving snapshot."""

from __future__ import annotations

import decimal
from pathlib import Path

import duckdb

KPI_TABLE = "kpi_headline"


def kpi_value(value: object) -> int | float | None:
    """A KPI as a plain Python number: ints stay ints, decimals and floats become floats."""
    if value is None or isinstance(value, bool):
        return value  # type: ignore[return-value]
    if isinstance(value, int):
        return value
    if isinstance(value, decimal.Decimal | float):
        return float(value)
    raise TypeError(f"KPI value of unexpected type {type(value).__name__}: {value!r}")


def read_kpis(serving_path: Path) -> dict[str, int | float | None]:
    """The single row of `kpi_headline` as {key: value}, keys in column order.

    Opens the snapshot read-only and closes it before returning.
    """
    con = duckdb.connect(str(serving_path), read_only=True)
    try:
        cursor = con.execute(f"select * from main.{KPI_TABLE}")
        names = [column[0] for column in cursor.description]
        rows = cursor.fetchall()
    finally:
        con.close()
    if len(rows) != 1:
        raise ValueError(f"{KPI_TABLE} in {serving_path} has {len(rows)} rows, expected 1")
    return {name: kpi_value(value) for name, value in zip(names, rows[0], strict=True)}
