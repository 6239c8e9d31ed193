"""Predict: feature frames from the warehouse, the fallout, churn and anomaly models, their
baselines and cards, and the prediction serving tables (docs/predictions.md). No Dagster
imports: orchestration/defs/predict wires these into assets."""
