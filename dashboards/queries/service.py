"""The Service quality and experience page's queries: cell quality (`fct_cell_quality_daily`,
`fct_cell_quality_hourly`), incidents (`srv_incident_impact`), alarms (`srv_cell_alarms`),
tickets (`fct_trouble_tickets`), experience (`srv_experience_band_slices`,
`srv_experience_daily`) and `kpi_revenue_at_risk`."""

from __future__ import annotations

from typing import Any

import polars as pl

from dashboards.queries.global_filters import GlobalFilters
from dashboards.queries.runner import fetch
from dashboards.queries.snapshot import FRAME_TABLES

SERVICE_TABLES = FRAME_TABLES | {
    "fct_cell_quality_daily",
    "fct_cell_quality_hourly",
    "srv_incident_impact",
    "srv_cell_alarms",
    "fct_trouble_tickets",
    "srv_experience_band_slices",
    "srv_experience_daily",
    "kpi_revenue_at_risk",
}

SQL_REVENUE_AT_RISK = """
select revenue_at_risk, churn_uplift_pp, customers_at_risk, customers_exposed, customer_value,
       churn_rate_exposed_pct, churn_rate_unexposed_pct
from kpi_revenue_at_risk
"""

# Cells follow the region and technology filters (segment is a customer attribute).
_CELL_SLICE = """
    ($regions is null or list_contains($regions, region))
    and ($technologies is null or list_contains($technologies, technology))
"""

SQL_CELL_MAP = f"""
with quality as (
    select cell_id,
           sum(periods_impaired)::bigint as periods_impaired,
           sum(periods_reported)::bigint as periods_reported,
           round(avg(accessibility_pct), 2) as accessibility_pct,
           round(avg(availability_pct), 2) as availability_pct
    from fct_cell_quality_daily
    where date_day between $start and $end
    group by cell_id
),
incidents as (
    select cell_id, count(*)::bigint as incidents, sum(revenue_at_risk) as revenue_at_risk
    from srv_incident_impact
    where start_date between $start and $end
    group by cell_id
)
select cells.cell_id, cells.site_id, cells.region, cells.technology, cells.vendor,
       cells.latitude, cells.longitude,
       round(100.0 * quality.periods_impaired / nullif(quality.periods_reported, 0), 2)
           as impaired_pct,
       quality.accessibility_pct, quality.availability_pct,
       coalesce(incidents.incidents, 0) as incidents,
       coalesce(incidents.revenue_at_risk, 0) as revenue_at_risk
from dim_cell cells
left join quality using (cell_id)
left join incidents using (cell_id)
where {_CELL_SLICE}
order by impaired_pct desc nulls last, cells.cell_id
"""

SQL_INCIDENTS = f"""
select incident_id, cell_id, region, technology, started_at, ended_at,
       round(duration_minutes, 1) as duration_minutes, alarm_conditions, degraded_periods,
       round(mttd_minutes, 1) as mttd_minutes, tickets, customers_affected,
       home_customers_affected, revenue_at_risk, is_quality_incident
from srv_incident_impact
where start_date between $start and $end and {_CELL_SLICE}
order by revenue_at_risk desc, customers_affected desc, started_at
"""

SQL_INCIDENT_TOTALS = f"""
select count(*)::bigint as incidents,
       count(*) filter (where is_quality_incident)::bigint as quality_incidents,
       coalesce(sum(customers_affected), 0)::bigint as customers_affected,
       round(coalesce(sum(revenue_at_risk), 0), 2) as revenue_at_risk,
       max(churn_uplift_pp) as churn_uplift_pp,
       max(customer_value) as customer_value
from srv_incident_impact
where start_date between $start and $end and {_CELL_SLICE}
"""

# Complaint rate, NPS and churn per experienced-quality band, summed over the slices of
# srv_experience_band_slices (customer region and segment, home cell's technology) that the
# filters select; the rates as kpi_experience_by_quality_band computes them. A customer's band
# is their worst over the whole reporting period: the period filter does not narrow it.
SQL_EXPERIENCE_BANDS = """
with slices as (
    select quality_band, band_order,
           sum(customers)::bigint as customers,
           sum(customers_with_complaint)::bigint as customers_with_complaint,
           sum(survey_responses)::bigint as survey_responses,
           sum(promoters)::bigint as promoters,
           sum(detractors)::bigint as detractors,
           sum(customers_active_at_start)::bigint as customers_active_at_start,
           sum(customers_churned)::bigint as customers_churned
    from srv_experience_band_slices
    where ($regions is null or list_contains($regions, region))
      and ($segments is null or list_contains($segments, segment))
      and ($technologies is null or list_contains($technologies, technology))
    group by quality_band, band_order
)
select quality_band, band_order, customers,
       round(100.0 * customers_with_complaint / customers, 4) as complaint_rate_pct,
       survey_responses,
       case when survey_responses > 0
            then round(100.0 * (promoters - detractors) / survey_responses, 4) end as nps,
       customers_active_at_start, customers_churned,
       case when customers_active_at_start > 0
            then round(100.0 * customers_churned / customers_active_at_start, 4) end
           as churn_rate_pct
from slices
order by band_order
"""

# Experienced quality vs complaints and scores per day, summed over the slices of
# srv_experience_daily (customer-days pre-summed per day, customer region and segment, and the
# technology of the customer's home cell) that the filters select.
SQL_EXPERIENCE_DAILY = """
select date_day,
       round(100.0 * sum(impaired_volume_mb) / nullif(sum(volume_mb), 0), 3)
           as experienced_impaired_pct,
       sum(complaints)::bigint as complaints,
       sum(survey_responses)::bigint as survey_responses,
       sum(churned)::bigint as churned
from srv_experience_daily
where date_day between $start and $end
  and ($regions is null or list_contains($regions, region))
  and ($segments is null or list_contains($segments, segment))
  and ($technologies is null or list_contains($technologies, technology))
group by date_day
order by date_day
"""

SQL_CELL_HOURLY = """
select hour_start_utc, accessibility_pct, retainability_pct, availability_pct,
       dl_user_throughput_kbps, is_degraded
from fct_cell_quality_hourly
where cell_id = $cell_id and date_day between $start and $end
order by hour_start_utc
"""

SQL_CELL_ALARMS = """
select alarm_condition, specific_problem, started_at, ended_at, raise_events
from srv_cell_alarms
where cell_id = $cell_id and started_at <= ($end + 1)::timestamptz
  and (ended_at is null or ended_at >= $start::timestamptz)
order by started_at
"""

SQL_CELL_TICKETS = """
select ticket_id, ticket_type, severity, status, created_at, resolved_at
from fct_trouble_tickets
where cell_id = $cell_id and created_at::date between $start and $end
order by created_at
"""


def revenue_at_risk() -> dict[str, Any]:
    """The period's revenue at risk, churn uplift and customers at risk (operator-wide)."""
    rows = fetch(SQL_REVENUE_AT_RISK).to_dicts()
    return rows[0] if rows else {}


def cell_map(filters: GlobalFilters) -> pl.DataFrame:
    """Cells with location, % of PM periods impaired (degraded or collapsed throughput),
    incidents and attributed revenue at risk in the period; most impaired first."""
    return fetch(SQL_CELL_MAP, filters.params())


def incidents(filters: GlobalFilters) -> pl.DataFrame:
    """Incidents started in the period on the selected cells, most revenue at risk first."""
    return fetch(SQL_INCIDENTS, filters.params())


def incident_totals(filters: GlobalFilters) -> dict[str, Any]:
    """Incidents, quality incidents, customers affected and revenue at risk for the filters."""
    return fetch(SQL_INCIDENT_TOTALS, filters.params()).to_dicts()[0]


def experience_bands(filters: GlobalFilters) -> pl.DataFrame:
    """Complaint rate, NPS and churn per experienced-quality band of the customers the region,
    technology and segment filters keep (bands over the whole reporting period)."""
    return fetch(SQL_EXPERIENCE_BANDS, filters.params())


def experience_daily(filters: GlobalFilters) -> pl.DataFrame:
    """Per day: usage-weighted degraded share customers experienced, complaints, surveys, churn."""
    return fetch(SQL_EXPERIENCE_DAILY, filters.params())


def cell_hourly(cell_id: str, filters: GlobalFilters) -> pl.DataFrame:
    """One cell's hourly KPIs in the period."""
    return fetch(SQL_CELL_HOURLY, filters.params() | {"cell_id": cell_id})


def cell_alarms(cell_id: str, filters: GlobalFilters) -> pl.DataFrame:
    """One cell's alarm episodes overlapping the period."""
    return fetch(SQL_CELL_ALARMS, filters.params() | {"cell_id": cell_id})


def cell_tickets(cell_id: str, filters: GlobalFilters) -> pl.DataFrame:
    """Trouble tickets raised on one cell in the period."""
    return fetch(SQL_CELL_TICKETS, filters.params() | {"cell_id": cell_id})
