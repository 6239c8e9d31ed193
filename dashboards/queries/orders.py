"""The Orders and provisioning page's queries (also the overview's order tiles).

`srv_orders`: one row per product order with its customer's region, segment and home-cell
technology; `srv_order_timeline`: one row per event of an order; `srv_automation_go_live`: one
row per workflow with its automation go-live day.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import polars as pl

from dashboards.queries.global_filters import GlobalFilters
from dashboards.queries.runner import fetch
from dashboards.queries.snapshot import FRAME_TABLES, table_names
from orchestration.serving.kpi_window import order_figures

ORDERS_TABLES = FRAME_TABLES | {"srv_orders", "srv_order_timeline"}

# An order matches the global filters through its customer (region, segment) and the customer's
# home cell (technology); a NULL list means "all", so unknown customers count when unfiltered.
_ORDER_SLICE = """
    ($regions is null or list_contains($regions, region))
    and ($technologies is null or list_contains($technologies, technology))
    and ($segments is null or list_contains($segments, segment))
    and ($channels is null or list_contains($channels, channel))
"""

# The counts of the order headline (its formulas: orchestration.serving.kpi_window.order_figures,
# shared with `itot kpis --from/--to`): completions, on time and cycle time by completion day;
# created and fallout by creation day.
SQL_ORDER_COUNTS = f"""
select
    count(*) filter (where is_completed and completed_date between $start and $end)::bigint
        as orders_completed,
    count(*) filter (where is_on_time and completed_date between $start and $end)::bigint
        as orders_on_time,
    count(*) filter (where created_date between $start and $end)::bigint as orders_created,
    count(*) filter (where is_fallout and created_date between $start and $end)::bigint
        as orders_fallout,
    median(cycle_time_hours) filter (
        where is_completed and completed_date between $start and $end
    ) as cycle_time_median_hours
from srv_orders
where {_ORDER_SLICE}
"""

# Fallout is dated by the order's creation day, like order_fallout_pct.
SQL_ORDER_FALLOUT = f"""
select fallout_reason, fallout_step, count(*)::bigint as orders
from srv_orders
where is_fallout and created_date between $start and $end and {_ORDER_SLICE}
group by all
order by orders desc, fallout_reason, fallout_step
"""

SQL_ORDER_DAILY = f"""
with days as (
    select date_day::date as date_day from dim_date where date_day between $start and $end
),
completed as (
    select completed_date as date_day, channel,
           count(*)::bigint as orders_completed,
           count(*) filter (where is_on_time)::bigint as orders_on_time
    from srv_orders
    where is_completed and completed_date between $start and $end and {_ORDER_SLICE}
    group by all
)
select days.date_day, completed.channel,
       coalesce(completed.orders_completed, 0)::bigint as orders_completed,
       coalesce(completed.orders_on_time, 0)::bigint as orders_on_time
from days left join completed using (date_day)
order by days.date_day, completed.channel
"""

SQL_ORDER_CHANNELS = f"""
select
    channel,
    count(*) filter (where created_date between $start and $end)::bigint as orders_created,
    count(*) filter (where is_completed and completed_date between $start and $end)::bigint
        as orders_completed,
    count(*) filter (where is_on_time and completed_date between $start and $end)::bigint
        as orders_on_time,
    round(100.0 * orders_on_time / nullif(orders_completed, 0), 2) as on_time_pct,
    round(orders_completed::double / $days, 2) as completed_per_day,
    round(median(cycle_time_hours) filter (
        where is_completed and completed_date between $start and $end), 2)
        as median_cycle_time_hours
from srv_orders
where {_ORDER_SLICE}
group by channel
having orders_created > 0 or orders_completed > 0
order by orders_completed desc, channel
"""

SQL_ORDER_CYCLE_TIMES = f"""
select order_id, channel, completed_date, round(cycle_time_hours, 2) as cycle_time_hours
from srv_orders
where is_completed and completed_date between $start and $end and {_ORDER_SLICE}
order by completed_date, order_id
"""

# Orders still open in the snapshot (not completed, cancelled, rejected or failed), aged at the
# period's last day; "jeopardy" compares their requested completion date with that day.
SQL_ORDER_BACKLOG = f"""
with open_orders as (
    select
        order_id, channel, state, created_at, requested_completion_at, region, segment,
        date_diff('hour', created_at, ($end + 1)::timestamptz) / 24.0 as age_days,
        date_diff('hour', ($end + 1)::timestamptz, requested_completion_at) / 24.0
            as days_to_due
    from srv_orders
    where state not in ('completed', 'cancelled', 'rejected', 'failed')
      and created_date <= $end and {_ORDER_SLICE}
)
select
    order_id, channel, state, created_at, requested_completion_at, region, segment,
    round(age_days, 1) as age_days,
    case
        when age_days < 1 then '< 1 day'
        when age_days < 3 then '1–3 days'
        when age_days < 7 then '3–7 days'
        when age_days < 14 then '7–14 days'
        else '14+ days'
    end as age_band,
    case
        when requested_completion_at is null then 'no due date'
        when days_to_due < 0 then 'overdue'
        when days_to_due < 2 then 'due within 2 days'
        else 'on track'
    end as jeopardy
from open_orders
order by age_days desc, order_id
"""

GO_LIVE_TABLE = "srv_automation_go_live"
SQL_GO_LIVE = f"""
select go_live_date::date as go_live_date from {GO_LIVE_TABLE} where workflow = $workflow
"""

SQL_ORDER_TIMELINE = """
select event_time_utc, event_kind, activity, resource, resource_type, task_category
from srv_order_timeline
where order_id = $order_id
order by event_time_utc, event_kind desc
"""

SQL_ORDER_HEADER = """
select order_id, customer_id, channel, state, created_at, requested_completion_at, completed_at,
       round(cycle_time_hours, 2) as cycle_time_hours, is_on_time, region, segment, technology
from srv_orders
where order_id = $order_id
"""

SQL_SLOWEST_ORDERS = f"""
select order_id
from srv_orders
where is_completed and completed_date between $start and $end and {_ORDER_SLICE}
order by cycle_time_hours desc, order_id
limit 1
"""


def _order_params(filters: GlobalFilters, channels: tuple[str, ...]) -> dict[str, Any]:
    return filters.params() | {"channels": list(channels) or None}


def go_live(workflow: str) -> date | None:
    """The automation go-live day of `workflow`, when the snapshot has the reference table."""
    if GO_LIVE_TABLE not in table_names():
        return None
    rows = fetch(SQL_GO_LIVE, {"workflow": workflow})
    return rows["go_live_date"][0] if rows.height else None


def order_kpis(filters: GlobalFilters, channels: tuple[str, ...] = ()) -> dict[str, Any]:
    """Completed, throughput, on-time %, fallout %, median cycle time, and the orders created
    and fallen out, for the filters (the formulas of the headline, `order_figures`)."""
    counts = fetch(SQL_ORDER_COUNTS, _order_params(filters, channels)).to_dicts()[0]
    figures = order_figures(
        counts["orders_completed"],
        counts["orders_on_time"],
        counts["orders_created"],
        counts["orders_fallout"],
        counts["cycle_time_median_hours"],
        filters.days,
    )
    return figures | {
        "orders_created": counts["orders_created"],
        "orders_fallout": counts["orders_fallout"],
    }


def order_fallout(filters: GlobalFilters, channels: tuple[str, ...] = ()) -> pl.DataFrame:
    """Fallout orders created in the period per reason (held/failed) and step they fell out of."""
    return fetch(SQL_ORDER_FALLOUT, _order_params(filters, channels))


def order_daily(filters: GlobalFilters, channels: tuple[str, ...] = ()) -> pl.DataFrame:
    """Per completion day (every day of the period) and channel: completed and on-time orders."""
    return fetch(SQL_ORDER_DAILY, _order_params(filters, channels))


def order_channels(filters: GlobalFilters) -> pl.DataFrame:
    """One row per channel: created, completed, on time, on-time %, per day, median cycle time."""
    return fetch(SQL_ORDER_CHANNELS, _order_params(filters, ()) | {"days": filters.days})


def order_cycle_times(filters: GlobalFilters, channels: tuple[str, ...] = ()) -> pl.DataFrame:
    """Completed orders of the period: order_id, channel, completed_date, cycle_time_hours."""
    return fetch(SQL_ORDER_CYCLE_TIMES, _order_params(filters, channels))


def order_backlog(filters: GlobalFilters, channels: tuple[str, ...] = ()) -> pl.DataFrame:
    """Open orders with their age band and jeopardy at the period's last day."""
    return fetch(SQL_ORDER_BACKLOG, _order_params(filters, channels))


def order_timeline(order_id: str) -> pl.DataFrame:
    """One order's events: process steps (with who did them) and state changes, in time order."""
    return fetch(SQL_ORDER_TIMELINE, {"order_id": order_id})


def order_header(order_id: str) -> dict[str, Any] | None:
    """One order's row of srv_orders, or None if there is no such order."""
    rows = fetch(SQL_ORDER_HEADER, {"order_id": order_id}).to_dicts()
    return rows[0] if rows else None


def slowest_order(filters: GlobalFilters, channels: tuple[str, ...] = ()) -> str | None:
    """The completed order with the longest cycle time for the filters (the drill's default)."""
    rows = fetch(SQL_SLOWEST_ORDERS, _order_params(filters, channels))
    return rows["order_id"][0] if rows.height else None
