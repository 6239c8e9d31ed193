"""The headline KPIs over a sub-period (`itot kpis --from A --to B`), from the KPI marts' daily
grain in the serving snapshot, with bound parameters only.

The period is the UTC days A..B, both included: t0 = A 00:00, t1 = B + 1 day 00:00
(docs/kpi_definitions.md). Counts and sums add up over days, so they come from the daily marts;
medians do not, so they come from the order and ticket facts. Windows follow the marts' dating:
revenue leakage by the billing month's bill run day, ROI benefit by the day its cases started
and program cost by every calendar month the window touches (the one-off cost only in the
reporting period's first month).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import duckdb

from orchestration.serving.autonomy import workflow_month


def _r4(value: float | None) -> float | None:
    return None if value is None else round(float(value), 4)


def _ratio_pct(numerator: float, denominator: float) -> float | None:
    return _r4(100.0 * numerator / denominator) if denominator else None


def period_bounds(
    con: duckdb.DuckDBPyConnection, start: date | None, end: date | None
) -> tuple[date, date]:
    """The window's first and last day; a missing bound is the reporting period's own."""
    first, last = con.execute("select min(date_day), max(date_day) from main.dim_date").fetchone()
    start = start or first
    end = end or last
    if start is None or end is None:
        raise ValueError("the serving snapshot has no reporting period (dim_date is empty)")
    if start > end:
        raise ValueError(f"--from {start} is after --to {end}")
    return start, end


def _one(con: duckdb.DuckDBPyConnection, sql: str, params: list[Any]) -> tuple:
    row = con.execute(sql, params).fetchone()
    assert row is not None  # aggregates without group by always return a row
    return row


def _has_table(con: duckdb.DuckDBPyConnection, table: str) -> bool:
    row = con.execute(
        "select count(*) from duckdb_tables() where schema_name = 'main' and table_name = ?",
        [table],
    ).fetchone()
    return bool(row and row[0])


def order_figures(
    completed: int, on_time: int, created: int, fallout: int, median_hours: float | None, days: int
) -> dict[str, Any]:
    """The order headline figures from a window's counts (docs/kpi_definitions.md): orders
    completed, throughput per day over `days`, on-time % of completed, fallout % of created,
    the median cycle time in hours. Also what the dashboards' order tiles show for a slice."""
    return {
        "orders_completed": int(completed),
        "order_throughput_per_day": _r4(int(completed) / days),
        "on_time_delivery_pct": _ratio_pct(on_time, completed),
        "order_fallout_pct": _ratio_pct(fallout, created),
        "order_cycle_time_median_hours": _r4(median_hours),
    }


def order_kpis(con: duckdb.DuckDBPyConnection, start: date, end: date) -> dict[str, Any]:
    completed, on_time, created, fallout = _one(
        con,
        "select coalesce(sum(orders_completed), 0), coalesce(sum(orders_on_time), 0), "
        "coalesce(sum(orders_created), 0), coalesce(sum(orders_fallout), 0) "
        "from main.kpi_order_performance "
        "where time_grain = 'day' and channel = 'all' and product_offering_name = 'all' "
        "and period_start_date between ? and ?",
        [start, end],
    )
    (median_hours,) = _one(
        con,
        "select quantile_cont(cycle_time_hours, 0.5) from main.fct_product_orders "
        "where is_completed and completed_date between ? and ?",
        [start, end],
    )
    days = (end - start).days + 1
    return order_figures(completed, on_time, created, fallout, median_hours, days)


def ticket_kpis(con: duckdb.DuckDBPyConnection, start: date, end: date) -> dict[str, Any]:
    (resolved,) = _one(
        con,
        "select coalesce(sum(tickets_resolved), 0) from main.kpi_ticket_resolution "
        "where time_grain = 'day' and ticket_type = 'all' and period_start_date between ? and ?",
        [start, end],
    )
    (median_hours,) = _one(
        con,
        "select quantile_cont(resolution_hours, 0.5) from main.fct_trouble_tickets "
        "where is_resolved and resolved_date between ? and ?",
        [start, end],
    )
    return {"tickets_resolved": int(resolved), "mttr_median_hours": _r4(median_hours)}


def autonomy_kpis(
    con: duckdb.DuckDBPyConnection, start: date, end: date
) -> dict[str, dict[str, dict]]:
    weights = {
        category: float(weight or 0.0)
        for category, weight in con.execute(
            "select task_category, max(score_weight) from main.kpi_autonomy_category_monthly "
            "group by task_category"
        ).fetchall()
    }
    rows = con.execute(
        "select workflow, month_start_date, task_category, sum(tasks_scored), "
        "sum(task_score_sum) from main.kpi_autonomy_task_daily "
        "where date_day between ? and ? group by all order by all",
        [start, end],
    ).fetchall()
    tasks: dict[tuple[str, date], dict[str, tuple[int, int]]] = defaultdict(dict)
    for workflow, month, category, n, s in rows:
        tasks[(workflow, month)][category] = (int(n), int(s))
    out: dict[str, dict[str, dict]] = {}
    for (workflow, month), by_category in sorted(tasks.items()):
        out.setdefault(workflow, {})[month.strftime("%Y-%m")] = workflow_month(by_category, weights)
    return out


def leakage_kpis(con: duckdb.DuckDBPyConnection, start: date, end: date) -> dict[str, Any]:
    services, amount = _one(
        con,
        "select count(distinct product_id), coalesce(sum(leakage_amount), 0) "
        "from main.fct_revenue_leakage where bill_run_date between ? and ?",
        [start, end],
    )
    return {"revenue_leakage_services": int(services), "revenue_leakage_amount": _r4(amount)}


def nps_figure(promoters: int, detractors: int, responses: int) -> float | None:
    """NPS = 100 * (promoters - detractors) / responses, over any set of responses (null when
    there are none). Also what the dashboards' NPS tile shows for its period."""
    return _ratio_pct(promoters - detractors, responses)


def customer_kpis(con: duckdb.DuckDBPyConnection, start: date, end: date) -> dict[str, Any]:
    responses, promoters, detractors = _one(
        con,
        "select coalesce(sum(responses), 0), coalesce(sum(promoters), 0), "
        "coalesce(sum(detractors), 0) from main.kpi_nps_daily "
        "where channel = 'all' and date_day between ? and ?",
        [start, end],
    )
    t0 = datetime.combine(start, time(), tzinfo=UTC)
    t1 = datetime.combine(end + timedelta(days=1), time(), tzinfo=UTC)
    active, churned = _one(
        con,
        "select count(*), coalesce(sum(case when terminated_at >= ? and terminated_at < ? "
        "then 1 else 0 end), 0) from main.dim_customer "
        "where (created_at is null or created_at <= ?) "
        "and (terminated_at is null or terminated_at >= ?)",
        [t0, t1, t0, t0],
    )
    return {
        "nps": nps_figure(promoters, detractors, responses),
        "churn_rate_pct": _ratio_pct(churned, active),
    }


def roi_kpis(con: duckdb.DuckDBPyConnection, start: date, end: date) -> dict[str, Any]:
    benefit_by_month = dict(
        con.execute(
            "select month_start_date, sum(benefit) from main.kpi_roi_lever_daily "
            "where date_day between ? and ? group by month_start_date",
            [start, end],
        ).fetchall()
    )
    cost_by_month = dict(
        con.execute(
            "select month_start_date, running_cost + one_off_cost from main.kpi_roi_costs_monthly "
            "where month_start_date between date_trunc('month', cast(? as date)) and ?",
            [start, end],
        ).fetchall()
    )
    benefit = cost = 0.0
    payback = None
    for month in sorted(set(benefit_by_month) | set(cost_by_month)):
        benefit += float(benefit_by_month.get(month) or 0.0)
        cost += float(cost_by_month.get(month) or 0.0)
        if payback is None and benefit >= cost:
            payback = month.strftime("%Y-%m")
    return {
        "benefit": _r4(benefit),
        "cost": _r4(cost),
        "roi_pct": _r4(100.0 * (benefit - cost) / cost) if cost else None,
        "payback_month": payback,
    }


def incident_kpis(con: duckdb.DuckDBPyConnection, start: date, end: date) -> dict[str, Any]:
    """incidents_detected (helper net's fct_incidents: incidents whose start is in the window);
    absent while the snapshot has no fct_incidents."""
    if not _has_table(con, "fct_incidents"):
        return {}
    t0 = datetime.combine(start, time(), tzinfo=UTC)
    t1 = datetime.combine(end + timedelta(days=1), time(), tzinfo=UTC)
    (count,) = _one(
        con,
        "select count(*) from main.fct_incidents where started_at >= ? and started_at < ?",
        [t0, t1],
    )
    return {"incidents_detected": int(count)}


def window_kpis(
    con: duckdb.DuckDBPyConnection, start: date | None, end: date | None
) -> dict[str, Any]:
    """Every headline KPI over the UTC days start..end (a missing bound: the period's own)."""
    start, end = period_bounds(con, start, end)
    return {
        **order_kpis(con, start, end),
        **ticket_kpis(con, start, end),
        "autonomy": autonomy_kpis(con, start, end),
        **leakage_kpis(con, start, end),
        **customer_kpis(con, start, end),
        "roi": roi_kpis(con, start, end),
        **incident_kpis(con, start, end),
    }
