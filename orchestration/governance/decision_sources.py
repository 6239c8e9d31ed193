"""Where each action's recommendations come from: per action of decision_rights.csv, the
warehouse mart that holds its candidates and the SQL that reads them in the decision log's
shape (decided_at, subject_id, model_version, score, flagged). The SQL names the table bare:
the srv_decision_log asset exposes each table (a warehouse mart or a prediction Parquet file)
as a DuckDB view of that name."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class DecisionSource:
    """The candidates of one action: `sql` reads them from `table`."""

    action: str
    table: str
    sql: str


DECISION_SOURCES: tuple[DecisionSource, ...] = (
    DecisionSource(
        "send_proactive_notice",
        "srv_proactive_notices",
        # one action per quality incident (its notices go out together, at detection)
        """
        select min(created_at) as decided_at, incident_id as subject_id,
               'rule:quality_incident' as model_version,
               cast(null as double) as score, cast(null as boolean) as flagged
        from srv_proactive_notices
        group by incident_id
        """,
    ),
    DecisionSource(
        "route_order_to_precheck",
        "srv_order_fallout_risk",
        """
        select scored_at as decided_at, order_id as subject_id, model_version,
               cast(risk as double) as score, cast(null as boolean) as flagged
        from srv_order_fallout_risk
        """,
    ),
    DecisionSource(
        "open_cell_investigation",
        "srv_cell_anomalies",
        """
        select hour_start_utc as decided_at,
               cell_id || '@' || strftime(hour_start_utc, '%Y%m%dT%H%M%SZ') as subject_id,
               model_version, cast(score as double) as score, is_anomaly as flagged
        from srv_cell_anomalies
        where is_anomaly
        """,
    ),
    DecisionSource(
        "offer_retention_incentive",
        "srv_churn_risk",
        """
        select scored_at as decided_at, customer_id as subject_id, model_version,
               cast(risk as double) as score, cast(null as boolean) as flagged
        from srv_churn_risk
        """,
    ),
)
