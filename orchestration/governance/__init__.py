"""Governance of the predictions: feature drift against the training window (drift) and the
decision rights that every automated recommendation or action is checked and logged against
(decision_rights). Pure functions on frames; no Dagster imports."""
