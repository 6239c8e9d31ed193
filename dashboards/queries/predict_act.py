"""The Predict and act page's queries: order fallout risk (`srv_order_fallout_risk` with
`srv_orders`), cell anomalies (`srv_cell_anomalies` with `dim_cell`), churn risk
(`srv_churn_risk` with `dim_customer`, priced with `srv_roi_assumptions.customer_value`),
proactive notices (`srv_proactive_notices` with `srv_incident_impact`), the decision log
(`srv_decision_log`), model cards (`srv_model_cards`) and feature drift (`srv_feature_drift`).

Grain: one row per scored order / cell-hour / customer, per notice, per logged decision, per
model, per model-feature-week (docs/predictions.md, docs/governance.md)."""

from __future__ import annotations

import polars as pl

from dashboards.queries.global_filters import GlobalFilters
from dashboards.queries.runner import fetch
from dashboards.queries.snapshot import FRAME_TABLES

# The page opens with these; each prediction section needs its own tables too (a snapshot
# built before the models ran, or with a model held back, shows the rest of the page).
PREDICT_ACT_TABLES = FRAME_TABLES | {
    "srv_proactive_notices",
    "srv_incident_impact",
    "kpi_contacts_avoided_monthly",
    "srv_decision_rights",
}
ORDER_RISK_TABLES = frozenset({"srv_order_fallout_risk", "srv_orders"})
ANOMALY_TABLES = frozenset({"srv_cell_anomalies"})
CHURN_TABLES = frozenset({"srv_churn_risk", "srv_roi_assumptions"})
DECISION_TABLES = frozenset({"srv_decision_log"})
MODEL_TABLES = frozenset({"srv_model_cards", "srv_feature_drift"})

# Orders scored in the period whose customer the region, segment and technology filters keep,
# riskiest first; `open` = not completed (yet) and not fallen out: still actionable.
SQL_ORDERS_AT_RISK = """
select risk.order_id, orders.channel, orders.state, risk.scored_at,
       round(risk.risk, 4) as risk, risk.top_drivers, orders.region, orders.segment,
       orders.technology, not coalesce(orders.is_completed, false)
           and not coalesce(orders.is_fallout, false) as is_open,
       orders.is_fallout, risk.model_version
from srv_order_fallout_risk risk
join srv_orders orders using (order_id)
where risk.scored_at::date between $start and $end
  and ($regions is null or list_contains($regions, orders.region))
  and ($segments is null or list_contains($segments, orders.segment))
  and ($technologies is null or list_contains($technologies, orders.technology))
order by risk.risk desc, risk.order_id
"""

_CELL_SLICE = """
    ($regions is null or list_contains($regions, cells.region))
    and ($technologies is null or list_contains($technologies, cells.technology))
"""

# Flagged cell-hours per UTC hour of the period (the timeline), on the selected cells.
SQL_ANOMALY_TIMELINE = f"""
select anomalies.hour_start_utc,
       count(*) filter (where anomalies.is_anomaly)::bigint as anomalous_cells,
       round(max(anomalies.score), 2) as max_score
from srv_cell_anomalies anomalies
join dim_cell cells using (cell_id)
where anomalies.hour_start_utc::date between $start and $end and {_CELL_SLICE}
group by anomalies.hour_start_utc
order by anomalies.hour_start_utc
"""

# Per cell: flagged hours, the first and last flag and the highest score, with location.
SQL_ANOMALY_CELLS = f"""
select cells.cell_id, cells.site_id, cells.region, cells.technology, cells.latitude,
       cells.longitude,
       count(*) filter (where anomalies.is_anomaly)::bigint as anomalous_hours,
       min(anomalies.hour_start_utc) filter (where anomalies.is_anomaly) as first_flagged,
       max(anomalies.hour_start_utc) filter (where anomalies.is_anomaly) as last_flagged,
       round(max(anomalies.score), 2) as max_score
from srv_cell_anomalies anomalies
join dim_cell cells using (cell_id)
where anomalies.hour_start_utc::date between $start and $end and {_CELL_SLICE}
group by all
order by anomalous_hours desc, max_score desc, cells.cell_id
"""

# Churn risk per segment: customers scored, expected churners (sum of risks) and the money at
# risk = expected churners x customer_value (roi_assumptions; docs/governance.md).
SQL_CHURN_BY_SEGMENT = """
with value as (
    select max(value) filter (where assumption = 'customer_value') as customer_value
    from srv_roi_assumptions
)
select customers.segment, count(*)::bigint as customers,
       round(sum(risk.risk), 2) as expected_churners,
       round(avg(risk.risk) * 100, 2) as mean_risk_pct,
       count(*) filter (where risk.risk >= 0.5)::bigint as customers_risk_50pct,
       round(sum(risk.risk) * max(value.customer_value), 2) as money_at_risk
from srv_churn_risk risk
join dim_customer customers using (customer_id)
cross join value
where ($regions is null or list_contains($regions, customers.region))
  and ($segments is null or list_contains($segments, customers.segment))
group by customers.segment
order by money_at_risk desc
"""

SQL_CHURN_TOP = """
select risk.customer_id, customers.segment, customers.region, customers.plan,
       round(risk.risk, 4) as risk, risk.top_drivers, risk.scored_at, risk.model_version
from srv_churn_risk risk
join dim_customer customers using (customer_id)
where ($regions is null or list_contains($regions, customers.region))
  and ($segments is null or list_contains($segments, customers.segment))
order by risk.risk desc, risk.customer_id
"""

# Notices per quality incident started in the period on the selected cells and customers.
SQL_NOTICES_PER_INCIDENT = f"""
select incidents.incident_id, incidents.cell_id, incidents.region, incidents.started_at,
       incidents.ended_at, count(notices.customer_key)::bigint as notices,
       count(*) filter (where notices.channel = 'sms')::bigint as sms,
       count(*) filter (where notices.channel = 'email')::bigint as email,
       count(*) filter (where notices.channel = 'account_manager')::bigint as account_manager,
       min(notices.created_at) as sent_at, incidents.tickets
from srv_incident_impact incidents
join dim_cell cells using (cell_id)
join srv_proactive_notices notices using (incident_id)
where incidents.start_date between $start and $end and {_CELL_SLICE}
  and ($segments is null or list_contains($segments, notices.segment))
group by all
order by notices desc, incidents.started_at
"""

SQL_NOTICE_MESSAGES = """
select channel, any_value(message) as example_message, count(*)::bigint as notices
from srv_proactive_notices
where incident_id = $incident_id
group by channel
order by channel
"""

SQL_DECISIONS = """
select action, decision_rights, guard_result, decided_by, count(*)::bigint as decisions,
       min(decided_at) as first_decided_at, max(decided_at) as last_decided_at
from srv_decision_log
where decided_at::date between $start and $end
group by all
order by action, guard_result
"""

SQL_DECISION_LOG = """
select decided_at, action, subject_id, model_version, round(score, 4) as score, threshold,
       decision_rights, decided_by, guard_result
from srv_decision_log
where decided_at::date between $start and $end
order by decided_at desc, action, subject_id
"""

SQL_MODEL_CARDS = """
select * from srv_model_cards order by model
"""

SQL_DRIFT = """
select model, feature, period_start, psi, threshold, n_reference, n_current, status
from srv_feature_drift
order by model, feature, period_start
"""


def orders_at_risk(filters: GlobalFilters) -> pl.DataFrame:
    """Orders scored in the period (at creation) for the filters' customers, riskiest first."""
    return fetch(SQL_ORDERS_AT_RISK, filters.params())


def anomaly_timeline(filters: GlobalFilters) -> pl.DataFrame:
    """Per UTC hour of the period: cells flagged anomalous and the highest score."""
    return fetch(SQL_ANOMALY_TIMELINE, filters.params())


def anomaly_cells(filters: GlobalFilters) -> pl.DataFrame:
    """Per selected cell: flagged hours in the period, first/last flag, highest score."""
    return fetch(SQL_ANOMALY_CELLS, filters.params())


def churn_by_segment(filters: GlobalFilters) -> pl.DataFrame:
    """Per segment: customers scored, expected churners, money at risk [EUR]."""
    return fetch(SQL_CHURN_BY_SEGMENT, filters.params())


def churn_top(filters: GlobalFilters) -> pl.DataFrame:
    """Scored customers of the selected regions and segments, riskiest first."""
    return fetch(SQL_CHURN_TOP, filters.params())


def notices_per_incident(filters: GlobalFilters) -> pl.DataFrame:
    """Per quality incident started in the period: its notices by channel and when sent."""
    return fetch(SQL_NOTICES_PER_INCIDENT, filters.params())


def notice_messages(incident_id: str) -> pl.DataFrame:
    """One example message per channel of an incident's notices, with their count."""
    return fetch(SQL_NOTICE_MESSAGES, {"incident_id": incident_id})


def decisions(filters: GlobalFilters) -> pl.DataFrame:
    """Logged decisions in the period per action and guard verdict."""
    return fetch(SQL_DECISIONS, filters.params())


def decision_log(filters: GlobalFilters) -> pl.DataFrame:
    """Every logged decision in the period, latest first."""
    return fetch(SQL_DECISION_LOG, filters.params())


def model_cards() -> pl.DataFrame:
    """One row per model: version, windows, held-out metrics beside the baseline's, drift."""
    return fetch(SQL_MODEL_CARDS)


def feature_drift() -> pl.DataFrame:
    """PSI per model, feature and week against the training window."""
    return fetch(SQL_DRIFT)


SQL_ACTION_THRESHOLD = """
select threshold from srv_decision_rights where action = $action
"""

SQL_DECISION_RIGHTS = """
select action, model, subject_type, task_category, decision_rights, autonomy_level, threshold
from srv_decision_rights
order by action
"""

# The contacts-avoided lever over the months of the period (operator-wide: the lever's mart is
# per month, docs/kpi_definitions.md, Closed loop).
SQL_CONTACTS_AVOIDED = """
select coalesce(sum(avoidable_contacts), 0)::bigint as avoidable_contacts,
       coalesce(sum(contacts_avoided), 0) as contacts_avoided,
       coalesce(sum(benefit), 0) as benefit
from kpi_contacts_avoided_monthly
where month between strftime($start, '%Y-%m') and strftime($end, '%Y-%m')
"""


def action_threshold(action: str) -> float | None:
    """The decision rights' score threshold of `action` (None: none, or no such action)."""
    rows = fetch(SQL_ACTION_THRESHOLD, {"action": action})
    return rows["threshold"][0] if rows.height else None


def decision_rights() -> pl.DataFrame:
    """The decision rights table (docs/governance.md)."""
    return fetch(SQL_DECISION_RIGHTS)


def contacts_avoided(filters: GlobalFilters) -> dict:
    """Avoidable contacts, contacts avoided and the lever's benefit over the period's months."""
    return fetch(SQL_CONTACTS_AVOIDED, filters.params()).to_dicts()[0]
