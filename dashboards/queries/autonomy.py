"""The Autonomy page's queries (also the overview's autonomy tiles): `kpi_autonomy_monthly`,
`kpi_autonomy_category_monthly` (per workflow and month), `srv_process_activity_daily`."""

from __future__ import annotations

import polars as pl

from dashboards.queries.global_filters import MONTHS_IN_PERIOD, GlobalFilters
from dashboards.queries.runner import fetch
from dashboards.queries.snapshot import FRAME_TABLES

AUTONOMY_TABLES = FRAME_TABLES | {
    "kpi_autonomy_monthly",
    "kpi_autonomy_category_monthly",
    "srv_process_activity_daily",
}

# Monthly marts follow the period by month: every month with at least one day in it.
SQL_AUTONOMY_MONTHLY = f"""
select workflow, month_start_date, month_label, autonomy_level, autonomy_score,
       role_execution, role_awareness, role_analysis, role_decision, role_intent, tasks_scored
from kpi_autonomy_monthly
where {MONTHS_IN_PERIOD}
order by workflow, month_start_date
"""

SQL_AUTONOMY_CATEGORIES = f"""
select workflow, month_start_date, task_category, category_order, tasks_scored,
       round(system_task_share, 4) as system_task_share,
       round(mean_task_score, 4) as mean_task_score, role
from kpi_autonomy_category_monthly
where {MONTHS_IN_PERIOD}
order by workflow, category_order, month_start_date
"""

SQL_HUMAN_TASKS = """
with tasks as (
    select workflow, activity, task_category,
           sum(tasks) filter (where resource_type = 'human')::bigint as human_tasks,
           sum(tasks) filter (where resource_type = 'human+system')::bigint as assisted_tasks,
           sum(tasks)::bigint as all_tasks
    from srv_process_activity_daily
    where date_day between $start and $end
    group by all
)
select workflow, activity, task_category, coalesce(human_tasks, 0) as human_tasks,
       coalesce(assisted_tasks, 0) as assisted_tasks, all_tasks,
       round(100.0 * coalesce(human_tasks, 0) / all_tasks, 1) as human_share_pct
from tasks
where human_tasks > 0
order by human_tasks desc, workflow, activity
"""


def autonomy_monthly(filters: GlobalFilters) -> pl.DataFrame:
    """Level, decimal score and the five roles per workflow and month of the period."""
    return fetch(SQL_AUTONOMY_MONTHLY, filters.params())


def autonomy_categories(filters: GlobalFilters) -> pl.DataFrame:
    """Each task category's role (and system share) per workflow and month of the period."""
    return fetch(SQL_AUTONOMY_CATEGORIES, filters.params())


def human_tasks(filters: GlobalFilters) -> pl.DataFrame:
    """Activities still performed by people alone in the period, most frequent first."""
    return fetch(SQL_HUMAN_TASKS, filters.params())
