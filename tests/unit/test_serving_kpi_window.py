"""Sub-period KPIs (`itot kpis --from/--to`) from the daily marts: bounds, ROI, autonomy."""

from __future__ import annotations

from datetime import date

import duckdb
import pytest

from orchestration.serving.kpi_window import autonomy_kpis, period_bounds, roi_kpis


@pytest.fixture
def con():
    con = duckdb.connect()
    con.execute(
        "create table dim_date as select cast(d as date) as date_day "
        "from range(date '2024-01-01', date '2024-04-01', interval 1 day) t(d)"
    )
    con.execute(
        "create table kpi_roi_lever_daily as select * from (values "
        "(date '2024-01-20', date '2024-01-01', 1000.0), "
        "(date '2024-02-10', date '2024-02-01', 20000.0), "
        "(date '2024-03-10', date '2024-03-01', 15000.0), "
        "(date '2024-03-20', date '2024-03-01', 5000.0)"
        ") t(date_day, month_start_date, benefit)"
    )
    con.execute(
        "create table kpi_roi_costs_monthly as select * from (values "
        "(date '2024-01-01', 6000.0, 20000.0), (date '2024-02-01', 6000.0, 0.0), "
        "(date '2024-03-01', 6000.0, 0.0)"
        ") t(month_start_date, running_cost, one_off_cost)"
    )
    con.execute(
        "create table kpi_autonomy_category_monthly as select * from (values "
        "('execution', 0.5), ('awareness', 0.5)) t(task_category, score_weight)"
    )
    con.execute(
        "create table kpi_autonomy_task_daily as select * from (values "
        "('order_fulfilment', date '2024-01-31', date '2024-01-01', 'execution', 5, 10), "
        "('order_fulfilment', date '2024-02-01', date '2024-02-01', 'execution', 5, 9), "
        "('order_fulfilment', date '2024-02-02', date '2024-02-01', 'awareness', 4, 4)"
        ") t(workflow, date_day, month_start_date, task_category, tasks_scored, task_score_sum)"
    )
    yield con
    con.close()


def test_bounds_default_to_the_period_and_refuse_a_reversed_window(con) -> None:
    assert period_bounds(con, None, None) == (date(2024, 1, 1), date(2024, 3, 31))
    assert period_bounds(con, date(2024, 2, 1), None) == (date(2024, 2, 1), date(2024, 3, 31))
    with pytest.raises(ValueError, match="after"):
        period_bounds(con, date(2024, 3, 1), date(2024, 2, 1))


def test_roi_over_the_whole_period_pays_back_in_march(con) -> None:
    roi = roi_kpis(con, date(2024, 1, 1), date(2024, 3, 31))
    assert roi == {
        "benefit": 41000.0,
        "cost": 38000.0,
        "roi_pct": round(100 * 3000 / 38000, 4),
        "payback_month": "2024-03",
    }


def test_roi_window_counts_its_own_days_and_the_months_it_touches(con) -> None:
    # 2024-03-15..31: benefit of the 20th only; March's running cost; no one-off
    roi = roi_kpis(con, date(2024, 3, 15), date(2024, 3, 31))
    assert roi == {"benefit": 5000.0, "cost": 6000.0, "roi_pct": -16.6667, "payback_month": None}
    assert roi_kpis(con, date(2024, 1, 15), date(2024, 1, 31))["cost"] == 26000.0


def test_autonomy_window_keeps_only_its_days_months(con) -> None:
    whole = autonomy_kpis(con, date(2024, 1, 1), date(2024, 3, 31))["order_fulfilment"]
    assert whole["2024-01"]["roles"]["execution"] == "System"
    assert whole["2024-02"]["roles"]["execution"] == "System"  # 9 of 10 points: mean 1.8
    assert whole["2024-02"]["roles"]["awareness"] == "Human & System"
    assert whole["2024-02"]["level"] == 1
    assert whole["2024-02"]["score"] == round(2.5 * (0.5 * 1.8 + 0.5 * 1.0), 4)
    february = autonomy_kpis(con, date(2024, 2, 1), date(2024, 2, 1))["order_fulfilment"]
    assert list(february) == ["2024-02"]
    assert february["2024-02"]["roles"]["awareness"] == "Human"  # no awareness task that day
