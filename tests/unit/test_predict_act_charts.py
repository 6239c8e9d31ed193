"""Figures of the Predict and act page (dashboards/predict_act_charts.py): data in, figure out."""

from __future__ import annotations

from datetime import UTC, date, datetime

import polars as pl

from dashboards import predict_act_charts as charts

T = datetime(2026, 2, 10, 5, tzinfo=UTC)


def test_risk_distribution_stacks_open_and_closed_with_the_threshold() -> None:
    orders = pl.DataFrame({"risk": [0.1, 0.5, 0.9], "is_open": [True, False, True]})
    fig = charts.risk_distribution(orders, 0.35)
    assert [t.name for t in fig.data] == ["open orders", "closed orders"]
    assert list(fig.data[0].x) == [0.1, 0.9]
    assert fig.layout.shapes[0].x0 == 0.35


def test_anomaly_map_separates_flagged_cells() -> None:
    cells = pl.DataFrame(
        {
            "cell_id": ["A", "B"],
            "region": ["North", "North"],
            "latitude": [59.0, 59.1],
            "longitude": [18.0, 18.1],
            "anomalous_hours": [0, 4],
            "max_score": [1.0, 9.5],
        }
    )
    fig = charts.anomaly_map(cells)
    assert [len(t.x) for t in fig.data] == [1, 1]
    assert list(fig.data[1].marker.color) == [4]


def test_timeline_decisions_churn_and_drift_figures() -> None:
    timeline = pl.DataFrame({"hour_start_utc": [T], "anomalous_cells": [3], "max_score": [8.0]})
    assert list(charts.anomaly_timeline(timeline).data[0].y) == [3]
    decisions = pl.DataFrame(
        {"action": ["a", "a"], "guard_result": ["allowed", "escalated_drift"], "decisions": [5, 2]}
    )
    assert [t.name for t in charts.decisions_by_verdict(decisions).data] == [
        "allowed",
        "escalated_drift",
    ]
    segments = pl.DataFrame(
        {
            "segment": ["smb"],
            "customers": [10],
            "expected_churners": [1.5],
            "money_at_risk": [450.0],
        }
    )
    assert list(charts.churn_money_at_risk(segments).data[0].y) == [450.0]
    drift = pl.DataFrame(
        {
            "model": ["m", "m", "m", "m"],
            "feature": ["x", "x", "y", "z"],
            "period_start": [date(2026, 2, 9), date(2026, 2, 16), date(2026, 2, 9)] * 1
            + [date(2026, 2, 9)],
            "psi": [0.05, 0.3, None, 3.0],
            "threshold": [0.1, 0.1, 0.2, 0.1],
            "status": ["ok", "drift", "insufficient_data", "structural"],
        }
    )
    heat = charts.drift_heatmap(drift).data[0]
    assert list(heat.y) == ["m · x"]  # no data and structural features: table only
    assert [list(r) for r in heat.z] == [[0.5, 3.0]]
