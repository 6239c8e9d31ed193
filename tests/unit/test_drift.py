"""PSI and its sample-size threshold (orchestration/governance/drift.py, docs/governance.md)."""

from __future__ import annotations

import math
from datetime import UTC, date, datetime, timedelta

import numpy as np
import polars as pl
import pytest

from orchestration.governance.drift import (
    DRIFT_SCHEMA,
    EPS,
    PSI_THRESHOLD,
    STRUCTURAL,
    censor_at_history,
    chi2_quantile,
    feature_drift,
    feature_psi,
    models_to_retrain,
    null_quantile_z,
    psi_from_shares,
    psi_threshold,
    retrain_candidates,
    week_start,
)


def test_psi_by_hand() -> None:
    ref, cur = np.array([0.5, 0.5]), np.array([0.8, 0.2])
    want = (0.8 - 0.5) * math.log(0.8 / 0.5) + (0.2 - 0.5) * math.log(0.2 / 0.5)
    assert psi_from_shares(ref, cur) == pytest.approx(want)
    assert psi_from_shares(ref, ref) == 0.0
    # an empty bin counts as EPS, so PSI stays finite
    assert psi_from_shares(np.array([1.0, 0.0]), np.array([0.5, 0.5])) == pytest.approx(
        (0.5 - 1.0) * math.log(0.5) + (0.5 - EPS) * math.log(0.5 / EPS)
    )


def test_chi2_quantile_close_to_tables() -> None:
    # chi-square 0.99 quantiles: dof 9 -> 21.666, dof 4 -> 13.277
    assert chi2_quantile(9) == pytest.approx(21.666, rel=0.01)
    assert chi2_quantile(4) == pytest.approx(13.277, rel=0.02)


def test_threshold_is_evidently_for_large_samples_and_rises_for_small() -> None:
    assert psi_threshold(100_000, 100_000, 10) == PSI_THRESHOLD
    small = psi_threshold(200, 200, 10)
    assert small == pytest.approx(chi2_quantile(9) / 100)
    assert small > PSI_THRESHOLD


def test_same_distribution_is_not_drift_and_a_shift_is() -> None:
    rng = np.random.default_rng(1)
    ref = rng.normal(0, 1, 5000)
    assert feature_psi(ref, rng.normal(0, 1, 700)).status == "ok"
    shifted = feature_psi(ref, rng.normal(0.8, 1, 700))
    assert shifted.status == "drift" and shifted.psi > shifted.threshold


def test_false_alarm_rate_of_the_calibrated_threshold_is_small() -> None:
    """Without drift, small weekly samples would cross the fixed 0.1 often; the calibrated
    threshold keeps false alarms near 1 %."""
    rng = np.random.default_rng(7)
    ref = rng.normal(0, 1, 2000)
    weeks = [feature_psi(ref, rng.normal(0, 1, 80)) for _ in range(300)]
    fixed = sum(w.psi > PSI_THRESHOLD for w in weeks) / len(weeks)
    calibrated = sum(w.status == "drift" for w in weeks) / len(weeks)
    assert fixed > 0.3
    assert calibrated <= 0.04  # nominal 1 %; measured 2.3 % at 80 values (drift.py)


def test_categorical_and_unseen_categories() -> None:
    ref = ["fibre"] * 60 + ["dsl"] * 40
    assert feature_psi(ref, ["fibre"] * 30 + ["dsl"] * 20, categorical=True).psi == 0.0
    res = feature_psi(ref, ["5g"] * 50, categorical=True)
    assert res.status == "drift"


def test_small_samples_are_not_judged() -> None:
    res = feature_psi(list(range(100)), [1, 2, 3])
    assert res.status == "insufficient_data" and res.psi is None


def test_weekly_drift_frame() -> None:
    rng = np.random.default_rng(3)
    t0 = datetime(2026, 1, 5, tzinfo=UTC)  # a Monday
    times = [t0 + timedelta(hours=int(h)) for h in range(0, 24 * 28)]
    n = len(times)
    x = rng.normal(0, 1, n)
    x[24 * 21 :] += 2.0  # the fourth week shifts
    frame = pl.DataFrame({"ts": times, "x": x, "c": ["a"] * n})
    split = pl.col("ts") < t0 + timedelta(days=14)
    out = feature_drift("m", frame.filter(split), frame.filter(~split), "ts", ["x"], ["c"])
    assert set(out.columns) >= {"model", "feature", "period_start", "psi", "status"}
    got = {(r["feature"], r["period_start"]): r["status"] for r in out.iter_rows(named=True)}
    assert got[("x", date(2026, 1, 19))] == "ok"
    assert got[("x", date(2026, 1, 26))] == "drift"
    assert got[("c", date(2026, 1, 26))] == "ok"
    assert models_to_retrain(out) == {"m": ["x"]}
    assert week_start(date(2026, 1, 25)) == date(2026, 1, 19)


def test_retrain_candidates_one_per_drifted_model() -> None:
    drift = pl.DataFrame(
        {
            "model": ["a", "a", "a", "b"],
            "feature": ["x", "x", "y", "z"],
            "period_start": [date(2026, 2, 9), date(2026, 2, 16), date(2026, 2, 16)] * 1
            + [date(2026, 2, 9)],
            "psi": [0.05, 0.4, 0.3, 0.01],
            "threshold": [0.1, 0.1, 0.2, 0.1],
            "n_reference": [100] * 4,
            "n_current": [100] * 4,
            "status": ["ok", "drift", "drift", "ok"],
        },
        schema=DRIFT_SCHEMA,
    )
    out = retrain_candidates(drift, {"a": "abc123", "b": "def456"})
    assert out["subject_id"].to_list() == ["a"]
    assert out["model_version"].to_list() == ["abc123"]
    assert out["score"].to_list() == [pytest.approx(4.0)]
    assert out["decided_at"].to_list() == [datetime(2026, 2, 16, tzinfo=UTC)]
    assert out["flagged"].to_list() == [True]


def test_weekly_drift_on_a_date_column() -> None:
    rng = np.random.default_rng(5)
    days = [date(2026, 2, 2) + timedelta(days=int(d)) for d in rng.integers(0, 14, 400)]
    score = pl.DataFrame({"day": days, "x": rng.normal(0, 1, 400)})
    train = pl.DataFrame({"day": [date(2026, 1, 5)] * 1000, "x": rng.normal(0, 1, 1000)})
    out = feature_drift("m", train, score, "day", ["x"])
    assert out["period_start"].to_list() == [date(2026, 2, 2), date(2026, 2, 9)]
    assert set(out["status"]) == {"ok"}


def test_a_structural_feature_is_reported_but_never_judged() -> None:
    """A regime flag the calendar sets (every scored row after a go-live) has a huge PSI but
    is not drift; a real shift of another feature in the same rows still is."""
    rng = np.random.default_rng(11)
    train = pl.DataFrame(
        {
            "day": [date(2026, 1, 5)] * 600,
            "flag": [0] * 200 + [1] * 400,
            "x": rng.normal(0, 1, 600),
        }
    )
    score = pl.DataFrame(
        {"day": [date(2026, 2, 2)] * 300, "flag": [1] * 300, "x": rng.normal(0, 1, 300)}
    )
    out = feature_drift("m", train, score, "day", ["flag", "x"], structural=["flag"])
    status = dict(out.select("feature", "status").iter_rows())
    assert status == {"flag": STRUCTURAL, "x": "ok"}
    assert out.filter(pl.col("feature") == "flag")["psi"].item() > 1.0
    assert models_to_retrain(out) == {}
    shifted = score.with_columns(pl.col("x") + 1.5)
    out = feature_drift("m", train, shifted, "day", ["flag", "x"], structural=["flag"])
    assert models_to_retrain(out) == {"m": ["x"]}


def _days_since(history: int, n: int, rng: np.random.Generator) -> list[int | None]:
    """Days since a customer's last event when events fall uniformly on 60 days before any
    assessment, seen through `history` days: null when none of them is within the history."""
    last = rng.integers(1, 61, n)
    return [int(v) if v <= history else None for v in last]


def test_a_days_since_feature_is_compared_at_the_shortest_history() -> None:
    """The same customers seen through 17 days of history (training) and 38 (scoring): naively
    the scoring side reaches further back and drifts; censored at 17 days both agree; a real
    shift (events far more recent in the scoring week) still drifts after censoring."""
    rng = np.random.default_rng(7)
    train = pl.DataFrame(
        {"day": [date(2026, 1, 18)] * 1000, "history_days": [17] * 1000}
    ).with_columns(pl.Series("since", _days_since(17, 1000, rng), dtype=pl.Int64))
    score = pl.DataFrame(
        {"day": [date(2026, 2, 9)] * 1000, "history_days": [38] * 1000}
    ).with_columns(pl.Series("since", _days_since(38, 1000, rng), dtype=pl.Int64))
    naive = feature_drift("m", train, score, "day", ["since"])
    assert set(naive["status"]) == {"drift"}
    tr, sc = censor_at_history(train, score, ["since"], "history_days")
    assert tr["since"].max() == sc["since"].max() == 18 and sc["since"].null_count() == 0
    assert set(feature_drift("m", tr, sc, "day", ["since"])["status"]) == {"ok"}
    recent = score.with_columns(
        pl.when(pl.col("since").is_not_null() & (pl.col("since") > 3))
        .then(pl.col("since") // 6)
        .otherwise(pl.col("since"))
        .alias("since")
    )
    tr, sc = censor_at_history(train, recent, ["since"], "history_days")
    assert set(feature_drift("m", tr, sc, "day", ["since"])["status"]) == {"drift"}
    untouched = censor_at_history(train, score, [], "history_days")
    assert untouched[1]["since"].null_count() == score["since"].null_count()


def test_the_whole_table_holds_the_false_alarm_rate() -> None:
    """Bonferroni: twenty judged comparisons each at 1 % / 20, so a healthy table is flagged
    in about 1 % of builds (at 1 % each: 1 - 0.99^20 = 18 %); the threshold of one feature
    rises with the number of features and weeks judged beside it, never with structural
    ones."""
    assert null_quantile_z(1) == pytest.approx(2.3263, abs=1e-4)
    assert null_quantile_z(20) == pytest.approx(3.2905, abs=1e-3)
    rng = np.random.default_rng(2)
    train = pl.DataFrame(
        {"day": [date(2026, 1, 5)] * 400} | {f"x{i}": rng.normal(0, 1, 400) for i in range(20)}
    )
    score = pl.DataFrame(
        {"day": [date(2026, 2, 2)] * 60} | {f"x{i}": rng.normal(0, 1, 60) for i in range(20)}
    )
    alone = feature_drift("m", train, score, "day", ["x0"])["threshold"].item()
    many = feature_drift("m", train, score, "day", [f"x{i}" for i in range(20)])
    assert many.filter(pl.col("feature") == "x0")["threshold"].item() > alone
    cols = [f"x{i}" for i in range(20)]
    with_structural = feature_drift("m", train, score, "day", cols, structural=cols[1:])
    assert with_structural.filter(pl.col("feature") == "x0")["threshold"].item() == alone
