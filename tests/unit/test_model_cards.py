"""Model cards as a table (orchestration/governance/model_cards.py)."""

from __future__ import annotations

import json

import polars as pl

from orchestration.governance.model_cards import MODEL_CARDS_SCHEMA, model_card_rows

CARD = {
    "model": "order_fallout_model",
    "version": "0123456789ab",
    "features": ["channel", "install_type"],
    "training_window": {"from": "2026-01-01", "to": "2026-02-07", "rows": 900, "positives": 90},
    "held_out_window": {"from": "2026-02-08", "to": "2026-02-28", "rows": 300},
    "held_out_auc": 0.71,
    "baseline_auc": 0.62,
    "baseline": "historical fallout rate per product x channel",
}


def test_one_row_per_model_with_its_metrics_and_drift_mark() -> None:
    cards = {
        "order_fallout_model": CARD,
        "churn_model": {"model": "churn_model", "version": None, "not_trained": "no rows"},
        "cell_anomaly_model": None,
    }
    out = model_card_rows(cards, {"order_fallout_model": ["install_type"]})
    assert out.schema == pl.Schema(MODEL_CARDS_SCHEMA)
    rows = {r["model"]: r for r in out.iter_rows(named=True)}
    fallout = rows["order_fallout_model"]
    assert fallout["status"] == "trained" and fallout["model_version"] == "0123456789ab"
    assert (fallout["held_out_auc"], fallout["baseline_auc"]) == (0.71, 0.62)
    assert fallout["training_rows"] == 900 and fallout["features"] == "channel, install_type"
    assert fallout["marked_for_retraining"] and fallout["drifted_features"] == "install_type"
    assert json.loads(fallout["card_json"]) == CARD
    assert rows["churn_model"]["status"] == "not_trained: no rows"
    assert not rows["churn_model"]["marked_for_retraining"]
    assert rows["cell_anomaly_model"]["status"] == "no card"
