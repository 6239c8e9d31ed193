"""Read the headline KPIs (the keys of KPI_CONTRACT / docs/kpi_definitions.md) from the serving
snapshot: over the whole reporting period from `kpi_headline`, or over a sub-period from the KPI
marts' daily grain (orchestration/serving/kpi_window.py).
"""

from __future__ import annotations

import decimal
from datetime import date
from pathlib import Path
from typing import Any

import duckdb

from orchestration.serving.autonomy import CATEGORIES

KPI_TABLE = "kpi_headline"
STALE_TABLE = "stale_models"  # written by orchestration.serving.snapshot
AUTONOMY_TABLE = "kpi_autonomy_monthly"
# helper net's mart; `incidents_detected` is left out when a snapshot does not have it yet
INCIDENTS_TABLE = "kpi_incidents_summary"
ROI_KEYS = {"roi_benefit": "benefit", "roi_cost": "cost", "roi_pct": "roi_pct"}
ROI_PAYBACK = "roi_payback_month"
# the order of KPI_CONTRACT.md
KEY_ORDER = (
    "orders_completed",
    "order_throughput_per_day",
    "on_time_delivery_pct",
    "order_fallout_pct",
    "order_cycle_time_median_hours",
    "tickets_resolved",
    "mttr_median_hours",
    "autonomy",
    "revenue_leakage_services",
    "revenue_leakage_amount",
    "nps",
    "churn_rate_pct",
    "roi",
    "incidents_detected",
)


def kpi_value(value: object) -> int | float | None:
    """A KPI as a plain Python number: ints stay ints, decimals and floats become floats."""
    if value is None or isinstance(value, bool):
        return value  # type: ignore[return-value]
    if isinstance(value, int):
        return value
    if isinstance(value, decimal.Decimal | float):
        return float(value)
    raise TypeError(f"KPI value of unexpected type {type(value).__name__}: {value!r}")


def ordered(values: dict[str, Any]) -> dict[str, Any]:
    """The KPIs in contract order; keys outside the contract follow in their own order."""
    head = {key: values[key] for key in KEY_ORDER if key in values}
    return head | {key: value for key, value in values.items() if key not in head}


def has_table(con: duckdb.DuckDBPyConnection, table: str) -> bool:
    row = con.execute(
        "select count(*) from duckdb_tables() where schema_name = 'main' and table_name = ?",
        [table],
    ).fetchone()
    return bool(row and row[0])


def stale_models(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """{model: why it is stale} from the snapshot's `stale_models` (none in older snapshots)."""
    if not has_table(con, STALE_TABLE):
        return {}
    return dict(
        con.execute(f"select model, reason from main.{STALE_TABLE} order by model").fetchall()
    )


def _headline_row(con: duckdb.DuckDBPyConnection, serving_path: Path) -> dict[str, Any]:
    cursor = con.execute(f"select * from main.{KPI_TABLE}")
    names = [column[0] for column in cursor.description]
    rows = cursor.fetchall()
    if not rows and stale_models(con):  # built empty: a blocked dataset feeds it, never built
        return dict.fromkeys(names)
    if len(rows) != 1:
        raise ValueError(f"{KPI_TABLE} in {serving_path} has {len(rows)} rows, expected 1")
    return dict(zip(names, rows[0], strict=True))


def nest_roi(row: dict[str, Any]) -> dict[str, Any]:
    """kpi_headline's flat roi_* columns as the contract's nested `roi` object."""
    out = {key: value for key, value in row.items() if key not in ROI_KEYS and key != ROI_PAYBACK}
    if any(key in row for key in ROI_KEYS):
        out["roi"] = {nested: kpi_value(row.get(flat)) for flat, nested in ROI_KEYS.items()} | {
            "payback_month": row.get(ROI_PAYBACK)
        }
    return out


def read_autonomy(con: duckdb.DuckDBPyConnection) -> dict[str, dict[str, dict]]:
    """{workflow: {"YYYY-MM": {"level", "score", "roles"}}} from kpi_autonomy_monthly."""
    role_columns = ", ".join(f"role_{category}" for category in CATEGORIES)
    rows = con.execute(
        f"select workflow, month_label, autonomy_level, autonomy_score, {role_columns} "
        f"from main.{AUTONOMY_TABLE} order by workflow, month_label"
    ).fetchall()
    out: dict[str, dict[str, dict]] = {}
    for workflow, month, level, score, *roles in rows:
        out.setdefault(workflow, {})[month] = {
            "level": int(level),
            "score": kpi_value(score),
            "roles": dict(zip(CATEGORIES, roles, strict=True)),
        }
    return out


def read_kpis(
    serving_path: Path, start: date | None = None, end: date | None = None
) -> dict[str, Any]:
    """Every headline KPI as {key: value}, in contract order; plus `stale` ({model: reason})
    when a blocked dataset held models back (their KPIs are the last good values, or None).

    Without `start`/`end` over the whole reporting period (`kpi_headline`); with them over the
    UTC days start..end, both included, from the KPI marts. Opens the snapshot read-only and
    closes it before returning.
    """
    con = duckdb.connect(str(serving_path), read_only=True)
    try:
        if start is not None or end is not None:
            from orchestration.serving.kpi_window import window_kpis

            return ordered(window_kpis(con, start, end))
        row = _headline_row(con, serving_path)
        values: dict[str, Any] = {
            name: kpi_value(value) for name, value in row.items() if name != ROI_PAYBACK
        }
        values[ROI_PAYBACK] = row.get(ROI_PAYBACK)
        values = nest_roi(values)
        if has_table(con, AUTONOMY_TABLE):
            values["autonomy"] = read_autonomy(con)
        if has_table(con, INCIDENTS_TABLE):
            incidents = con.execute(
                f"select incidents_detected from main.{INCIDENTS_TABLE}"
            ).fetchone()
            # no row: the mart was built empty (a blocked dataset feeds it): unknown, not 0
            values["incidents_detected"] = kpi_value(incidents[0]) if incidents else None
        stale = stale_models(con)
        if stale:
            values["stale"] = stale
    finally:
        con.close()
    return ordered(values)
