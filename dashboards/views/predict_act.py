"""Predict and act: which orders will fall out, which cells are degrading, which customers will
leave, who has been told, and was every automated decision allowed and still sound?

Orders scored at creation with their fallout risk and drivers; the cell anomaly timeline and
map; churn risk by segment with the money at risk; the proactive notices per quality incident;
the decision log under the decision rights; the model cards and feature drift. Risks and
anomalies cover the models' scoring window (docs/predictions.md); governance is in
docs/governance.md. Orders, cells and notices follow the filters; churn follows region and
segment (a customer attribute); drift and the model cards are per model.
"""

from __future__ import annotations

import streamlit as st

from dashboards import guards, tables
from dashboards import predict_act_charts as charts
from dashboards.page_header import start_page
from dashboards.queries import predict_act as queries
from dashboards.queries import snapshot
from dashboards.queries.global_filters import GlobalFilters
from dashboards.tables import show_table

INCIDENT_KEY = "incident"


def _ready(needed: frozenset[str], what: str) -> bool:
    """True when the snapshot holds `needed`; otherwise say which tables are missing."""
    if guards.snapshot_has(needed):
        return True
    missing = sorted(needed - snapshot.table_names())
    st.info(
        f"No {what} in this snapshot (it lacks {', '.join(missing)}): the models run "
        "after dbt in `itot build` (docs/predictions.md)."
    )
    return False


def _orders(filters: GlobalFilters) -> None:
    st.subheader("Orders at risk of fallout")
    if not _ready(queries.ORDER_RISK_TABLES, "order fallout risks"):
        return
    orders = queries.orders_at_risk(filters)
    threshold = queries.action_threshold("route_order_to_precheck")
    if orders.is_empty():
        st.info("No scored order matches the filters (orders are scored in the scoring window).")
        return
    at_risk = orders.filter(orders["risk"] >= (threshold or 1.0))
    open_at_risk = at_risk.filter(at_risk["is_open"])
    cols = st.columns(3)
    tiles = [
        ("Orders scored", f"{orders.height:,}", "Created in the period, scored at creation."),
        ("At or above the threshold", f"{at_risk.height:,}",
         f"Risk >= {threshold:g}: routed to a pre-check (decision rights)." if threshold
         else "No threshold in the decision rights."),
        ("Still open among them", f"{open_at_risk.height:,}",
         "Neither completed nor fallen out yet: where acting now helps."),
    ]  # fmt: skip
    for column, (label, shown, caption) in zip(cols, tiles, strict=True):
        with column:
            st.metric(label, shown, border=True)
            st.caption(caption)
    left, right = st.columns([2, 3])
    with left:
        st.plotly_chart(charts.risk_distribution(orders, threshold), key="risk_distribution")
    with right:
        show_table(
            orders,
            "orders_at_risk",
            scope=filters.describe(),
            limit=tables.LISTED_ROWS,
            height=320,
            column_config={
                "risk": st.column_config.ProgressColumn(
                    "Risk", min_value=0, max_value=1, format="%.2f"
                )
            },
        )


def _anomalies(filters: GlobalFilters) -> None:
    st.subheader("Cell anomalies")
    if not _ready(queries.ANOMALY_TABLES, "cell anomalies"):
        return
    timeline = queries.anomaly_timeline(filters)
    if timeline.is_empty():
        st.info("No cell-hour of the scoring window matches the filters.")
        return
    cells = queries.anomaly_cells(filters)
    left, right = st.columns([3, 2])
    with left:
        st.plotly_chart(charts.anomaly_timeline(timeline), key="anomaly_timeline")
        st.caption("Cells flagged per UTC hour (the detector's is_anomaly) and the highest score.")
    with right:
        st.plotly_chart(charts.anomaly_map(cells), key="anomaly_map")
    show_table(
        cells.filter(cells["anomalous_hours"] > 0),
        "anomalous_cells",
        scope=filters.describe(),
        limit=tables.LISTED_ROWS,
    )


def _churn(filters: GlobalFilters) -> None:
    st.subheader("Churn risk by segment and the money at risk")
    if not _ready(queries.CHURN_TABLES, "churn risks"):
        return
    segments = queries.churn_by_segment(filters)
    if segments.is_empty():
        st.info("No scored customer matches the filters.")
        return
    left, right = st.columns([2, 3])
    with left:
        st.plotly_chart(charts.churn_money_at_risk(segments), key="churn_money")
        st.caption(
            "Money at risk = expected churners (the sum of the customers' churn risks over the "
            "scoring window) x customer_value (roi_assumptions)."
        )
    with right:
        show_table(segments, "churn_by_segment", scope=filters.describe())
    show_table(
        queries.churn_top(filters),
        "churn_risk",
        scope=filters.describe(),
        limit=tables.LISTED_ROWS,
        height=300,
    )


def _notices(filters: GlobalFilters) -> None:
    st.subheader("Proactive notices per quality incident")
    per_incident = queries.notices_per_incident(filters)
    if per_incident.is_empty():
        st.info("No quality incident with notices matches the filters.")
        return
    contacts = queries.contacts_avoided(filters)
    notices = int(per_incident["notices"].sum())
    tiles = [
        ("Notices", f"{notices:,}", f"{notices}",
         "Affected customers told at detection, over the quality incidents shown."),
        ("Incidents notified", f"{per_incident.height:,}", f"{per_incident.height}",
         "Quality incidents started in the period on the selected cells."),
        ("Avoidable contacts", f"{contacts['avoidable_contacts']:,}",
         f"{contacts['avoidable_contacts']}",
         "Complaints linked to a quality incident, created after its notice would have gone "
         "out (operator-wide, months of the period)."),
        ("Contacts avoided", f"{contacts['benefit']:,.0f} EUR", f"{contacts['benefit']:.4f}",
         f"{contacts['contacts_avoided']:,.1f} contacts x cost per contact: the "
         "contacts-avoided lever (docs/kpi_definitions.md, Closed loop)."),
    ]  # fmt: skip
    for column, (label, shown, exact, definition) in zip(st.columns(4), tiles, strict=True):
        with column:
            st.metric(label, shown, help=f"Exact: {exact}.", border=True)
            st.caption(definition)
    show_table(
        per_incident, "notices_per_incident", scope=filters.describe(), limit=tables.LISTED_ROWS
    )
    incident = st.selectbox(
        "Messages of an incident",
        per_incident["incident_id"].to_list(),
        index=None,
        placeholder="Choose an incident",
        key=INCIDENT_KEY,
        bind="query-params",
    )
    if incident is not None:
        messages = queries.notice_messages(incident)
        st.caption(
            f"{incident}: {int(messages['notices'].sum()):,} notices, one example message per "
            "channel (customers are keyed hashes; no name, number or address is sent here)."
        )
        show_table(messages, f"notices_{incident}")


def _decisions(filters: GlobalFilters) -> None:
    st.subheader("Decision log")
    if not _ready(queries.DECISION_TABLES, "decision log"):
        show_table(queries.decision_rights(), "decision_rights")
        return
    summary = queries.decisions(filters)
    if summary.is_empty():
        st.info("No decision was logged in the period.")
        return
    left, right = st.columns([3, 2])
    with left:
        st.plotly_chart(charts.decisions_by_verdict(summary), key="decisions")
    with right:
        show_table(queries.decision_rights(), "decision_rights")
    show_table(
        queries.decision_log(filters),
        "decision_log",
        scope=filters.describe(),
        limit=tables.LISTED_ROWS,
        height=300,
    )


def _models() -> None:
    st.subheader("Model cards and feature drift")
    if not _ready(queries.MODEL_TABLES, "model cards"):
        return
    cards = queries.model_cards()
    show_table(
        cards.drop("card_json"),
        "model_cards",
        column_config={
            "held_out_auc": st.column_config.NumberColumn("Held-out AUC", format="%.3f"),
            "baseline_auc": st.column_config.NumberColumn("Baseline AUC", format="%.3f"),
        },
    )
    marked = cards.filter(cards["marked_for_retraining"])
    if marked.height:
        st.warning(
            "Marked for retraining (feature drift above threshold): "
            + "; ".join(
                f"{r['model']} ({r['drifted_features']})" for r in marked.iter_rows(named=True)
            )
        )
    drift = queries.feature_drift()
    if drift.is_empty():
        st.info("No drift measured yet: the models have no scoring rows.")
        return
    st.plotly_chart(charts.drift_heatmap(drift), key="drift")
    st.caption(
        "PSI of each scoring week against the training rows, over its threshold "
        "max(0.1, chi2_0.99(bins-1)/n_eff): above 1 is drift. Structural features (set by "
        "the calendar, status 'structural') are in the table only (docs/governance.md)."
    )
    show_table(drift, "feature_drift")


def render() -> None:
    filters = start_page(
        "Predict and act",
        queries.PREDICT_ACT_TABLES,
        "Which orders will fall out, which cells are degrading, which customers will leave, who "
        "has been told, and was every automated decision allowed? Risks cover the models' "
        "scoring window.",
    )
    _orders(filters)
    _anomalies(filters)
    _churn(filters)
    _notices(filters)
    _decisions(filters)
    _models()


render()
