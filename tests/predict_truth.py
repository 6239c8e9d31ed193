"""Judging the prediction tables against the simulator's truth.json["predictive"] (the targets
of docs/predictions.md), shared by the integration test and tests/bench/predictions.py.

Reads the serving snapshot's tables and the truth only; the AUC is computed here, not by the
platform's code."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from statistics import median

import duckdb

FLAG_BEFORE = timedelta(hours=1)  # a flag counts from 1 h before the planted start ...
FLAG_AFTER = timedelta(hours=2)  # ... to 2 h after its end


def auc(pairs: list[tuple[float, bool]]) -> float | None:
    """ROC AUC of (score, outcome) pairs (Mann-Whitney; ties count half)."""
    pos = sorted(s for s, y in pairs if y)
    neg = sorted(s for s, y in pairs if not y)
    if not pos or not neg:
        return None
    wins = 0.0
    j = k = 0
    for s in pos:  # count negatives below s, ties half
        while j < len(neg) and neg[j] < s:
            j += 1
        k = j
        while k < len(neg) and neg[k] == s:
            k += 1
        wins += j + (k - j) / 2.0
    return wins / (len(pos) * len(neg))


def _ts(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)


@dataclass(frozen=True)
class RiskQuality:
    """One risk table against the truth: AUC of the platform's risk, of the true p, counts."""

    model_auc: float | None
    oracle_auc: float | None
    rows: int
    positives: int


def risk_quality(
    con: duckdb.DuckDBPyConnection, table: str, key: str, truth_rows: dict, outcome: str
) -> RiskQuality:
    """The table's risk against the truth's outcomes, on the subjects both hold."""
    got = dict(con.sql(f"select {key}, risk from {table}").fetchall())  # noqa: S608
    both = [k for k in got if k in truth_rows]
    pairs = [(got[k], bool(truth_rows[k][outcome])) for k in both]
    oracle = [(truth_rows[k]["p"], bool(truth_rows[k][outcome])) for k in both]
    return RiskQuality(auc(pairs), auc(oracle), len(both), sum(y for _, y in pairs))


@dataclass(frozen=True)
class AnomalyQuality:
    """The anomaly table against the planted anomalies of the scoring window."""

    planted: int
    flagged: int
    missed: list[dict]
    gradual_leads_h: list[float]  # baseline first flag - model first flag, per gradual one
    false_flags: int
    cell_days: float
    false_flags_per_100_cell_days: float


def first_flags(hours: list[tuple[str, datetime]], anomalies: list[dict]) -> list[datetime | None]:
    """Per anomaly, the first flagged hour of its cell inside its flag window (or None)."""
    by_cell: dict[str, list[datetime]] = {}
    for cell, hour in hours:
        by_cell.setdefault(cell, []).append(hour)
    out = []
    for a in anomalies:
        lo, hi = _ts(a["start_utc"]) - FLAG_BEFORE, _ts(a["end_utc"]) + FLAG_AFTER
        inside = [h for h in by_cell.get(a["cell_id"], []) if lo <= h < hi]
        out.append(min(inside) if inside else None)
    return out


def anomaly_quality(
    con: duckdb.DuckDBPyConnection, predictive: dict, baseline_hours: list | None = None
) -> AnomalyQuality:
    """Recall, lead time on gradual degradations over `baseline_hours` ((cell, hour) alerts of
    the threshold baseline; none: no lead times) and false flags per 100 cell-days."""
    window = predictive["scoring_window"]
    s0, s1 = _ts(window["from"]), _ts(window["to"])
    planted = [
        a for a in predictive["anomalies"] if _ts(a["end_utc"]) > s0 and _ts(a["start_utc"]) < s1
    ]
    flagged_rows = con.sql(
        "select cell_id, hour_start_utc from srv_cell_anomalies where is_anomaly"
    ).fetchall()
    flagged = [(c, h.astimezone(UTC)) for c, h in flagged_rows]
    firsts = first_flags(flagged, planted)
    missed = [a for a, f in zip(planted, firsts, strict=True) if f is None]
    leads = []
    if baseline_hours is not None:
        base = first_flags(baseline_hours, planted)
        for a, m, b in zip(planted, firsts, base, strict=True):
            if not a["kind"].startswith("gradual_") or m is None:
                continue
            b_time = b if b is not None else _ts(a["end_utc"]) + FLAG_AFTER  # never: window end
            leads.append((b_time - m).total_seconds() / 3600.0)
    windows: dict[str, list[tuple[datetime, datetime]]] = {}
    for a in predictive["anomalies"]:
        windows.setdefault(a["cell_id"], []).append(
            (_ts(a["start_utc"]) - FLAG_BEFORE, _ts(a["end_utc"]) + FLAG_AFTER)
        )
    false = sum(
        1 for cell, hour in flagged if not any(lo <= hour < hi for lo, hi in windows.get(cell, []))
    )
    (cell_hours,) = con.sql("select count(*) from srv_cell_anomalies").fetchone()
    cell_days = cell_hours / 24.0
    return AnomalyQuality(
        len(planted),
        len(planted) - len(missed),
        missed,
        leads,
        false,
        cell_days,
        100.0 * false / cell_days if cell_days else 0.0,
    )


def median_or_none(xs: list[float]) -> float | None:
    return median(xs) if xs else None
