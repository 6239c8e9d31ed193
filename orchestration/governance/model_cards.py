"""Model cards as a table (`srv_model_cards`): one row per model, from the card each model asset
records as its Dagster metadata (docs/predictions.md), with whether feature drift marked it for
retraining (docs/governance.md). Pure: cards in, frame out."""

from __future__ import annotations

import json
from collections.abc import Mapping

import polars as pl

MODEL_CARDS_SCHEMA = {
    "model": pl.String,
    "model_version": pl.String,
    "status": pl.String,  # trained | not_trained: <reason> | no card
    "features": pl.String,  # comma-separated
    "training_from": pl.String,
    "training_to": pl.String,
    "training_rows": pl.Int64,
    "held_out_from": pl.String,
    "held_out_to": pl.String,
    "held_out_auc": pl.Float64,
    "baseline_auc": pl.Float64,
    "held_out_flagged_hours": pl.Int64,
    "baseline_flagged_hours": pl.Int64,
    "baseline": pl.String,
    "marked_for_retraining": pl.Boolean,
    "drifted_features": pl.String,  # comma-separated; empty when none
    "card_json": pl.String,
}


def _num(card: Mapping, key: str) -> float | None:
    value = card.get(key)
    return float(value) if isinstance(value, int | float) else None


def model_card_rows(
    cards: Mapping[str, Mapping | None], retrain: Mapping[str, list[str]]
) -> pl.DataFrame:
    """One row per model in `cards` (model -> its card, None when it never materialised);
    `retrain`: model -> features that drifted (drift.models_to_retrain)."""
    rows = []
    for model in sorted(cards):
        card = cards[model] or {}
        train = card.get("training_window") or {}
        held = card.get("held_out_window") or {}
        if not card:
            status = "no card"
        elif card.get("not_trained"):
            status = f"not_trained: {card['not_trained']}"
        else:
            status = "trained"
        flagged = card.get("held_out_flagged_hours")
        base_flagged = card.get("baseline_flagged_hours")
        rows.append(
            {
                "model": model,
                "model_version": card.get("version"),
                "status": status,
                "features": ", ".join(card.get("features") or []),
                "training_from": train.get("from"),
                "training_to": train.get("to"),
                "training_rows": train.get("rows"),
                "held_out_from": held.get("from"),
                "held_out_to": held.get("to"),
                "held_out_auc": _num(card, "held_out_auc"),
                "baseline_auc": _num(card, "baseline_auc"),
                "held_out_flagged_hours": int(flagged) if flagged is not None else None,
                "baseline_flagged_hours": int(base_flagged) if base_flagged is not None else None,
                "baseline": card.get("baseline"),
                "marked_for_retraining": model in retrain,
                "drifted_features": ", ".join(retrain.get(model, [])),
                "card_json": json.dumps(card, sort_keys=True, default=str) if card else None,
            }
        )
    return pl.DataFrame(rows, schema=MODEL_CARDS_SCHEMA)
