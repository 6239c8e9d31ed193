"""Predict: the time split, the models' feature and label logic, the anomaly detector against
its threshold baseline, the serving-table contract and content-hash versions (no build)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import numpy as np
import polars as pl
import pytest

from orchestration.predict import anomalies, tables
from orchestration.predict.artifacts import load_model, save_model
from orchestration.predict.features import split_frames
from orchestration.predict.risk_model import auc, fit_risk_model
from orchestration.predict.tabular_models import (
    CHURN,
    FALLOUT,
    churn_baseline,
    fallout_baseline,
    fit,
    model_card,
)
from orchestration.simulator.order_risk import OrderDrivers, fallout_probability
from orchestration.simulator.windows import (
    churn_assessment_days,
    scoring_days,
    scoring_start_day,
)
from tests.predict_truth import auc as truth_auc


def test_the_split_scores_the_last_third_in_whole_weeks() -> None:
    assert (scoring_days(59), scoring_start_day(59), churn_assessment_days(59)) == (
        21,
        38,
        [17, 38],
    )
    assert (scoring_days(31), scoring_start_day(31), churn_assessment_days(31)) == (
        7,
        24,
        [10, 17, 24],
    )
    assert scoring_days(8) == 7 and churn_assessment_days(8) == []  # too little history


def test_split_frames_never_share_a_row() -> None:
    frame = pl.DataFrame({"id": [1, 2, 3, 4], "split": ["train", "score", "train", "score"]})
    train, score = split_frames(frame)
    assert train["id"].to_list() == [1, 3] and score["id"].to_list() == [2, 4]


def _orders(n: int, seed: int) -> pl.DataFrame:
    """Orders whose fallout follows the simulator's planted probability."""
    rng = np.random.default_rng(seed)
    rows = []
    for i in range(n):
        ch = int(rng.integers(0, 4))
        action = ("add", "modify", "delete")[int(rng.integers(0, 3))]
        drivers = OrderDrivers(
            "technician" if rng.random() < 0.2 else "self",
            ("validated", "unverified", "missing")[int(rng.choice(3, p=[0.85, 0.1, 0.05]))],
            "NR" if rng.random() < 0.35 else "LTE",
            float(rng.lognormal(0, 0.45)),
            int(rng.choice(3, p=[0.85, 0.12, 0.03])),
        )
        p = fallout_probability(0.2, False, ch, action, "PO-ADD-DATA", drivers)
        rows.append(
            {
                "order_id": f"PO-{i:07d}",
                "created_date": date(2026, 1, 1) + timedelta(days=i * 40 // n),
                "channel": ("Online", "Retail store", "Call centre", "Partner")[ch],
                "product_offering_id": "PO-ADD-DATA",
                "order_action": action,
                "install_type": drivers.install_type,
                "address_status": drivers.address_status,
                "segment": ("consumer", "smb", "enterprise")[drivers.segment],
                "home_cell_technology": drivers.tech,
                "home_cell_prb_7d_pct": 30.0 * drivers.load,
                "is_automated": False,
                "is_fallout": bool(rng.random() < p),
                "p": p,
            }
        )
    return pl.DataFrame(rows)


def test_planted_fallout_rises_with_each_driver() -> None:
    base = OrderDrivers("self", "validated", "LTE", 1.0, 0)
    p0 = fallout_probability(0.2, False, 0, "modify", "PO-PLAN-1", base)
    for worse in (
        OrderDrivers("technician", "validated", "LTE", 1.0, 0),
        OrderDrivers("self", "missing", "LTE", 1.0, 0),
        OrderDrivers("self", "validated", "NR", 1.0, 0),
        OrderDrivers("self", "validated", "LTE", 2.0, 0),
    ):
        assert fallout_probability(0.2, False, 0, "modify", "PO-PLAN-1", worse) > p0
    assert fallout_probability(0.2, False, 3, "modify", "PO-PLAN-1", base) > p0  # partner
    assert fallout_probability(0.06, True, 0, "modify", "PO-PLAN-1", base) < p0  # automated


def test_the_fallout_model_learns_the_planted_risk_and_beats_its_baseline() -> None:
    train, score = _orders(3000, 1), _orders(1500, 2)
    model = fit(FALLOUT, train)
    risk = model.predict(score)
    y = score["is_fallout"].to_numpy()
    oracle = auc(y, score["p"].to_numpy())
    assert auc(y, risk) >= oracle - 0.05
    assert auc(y, risk) > auc(y, fallout_baseline(train, score))
    card = model_card(FALLOUT, train, score, risk, fallout_baseline(train, score), "abc")
    assert card["features"] == list(FALLOUT.categorical + FALLOUT.numeric)
    assert card["training_window"]["rows"] == 3000 and card["held_out_window"]["rows"] == 1500
    drivers = model.drivers(score.head(50), risk[:50])
    # an order with a missing address names it among its drivers
    statuses = score.head(50)["address_status"].to_list()
    missing = [d for d, a in zip(drivers, statuses, strict=True) if a == "missing"]
    assert missing and all("address_status=missing" in d for d in missing)


def test_the_fallout_baseline_is_the_rate_per_product_and_channel() -> None:
    train = pl.DataFrame(
        {
            "product_offering_id": ["A", "A", "A", "B"],
            "channel": ["Online", "Online", "Partner", "Online"],
            "is_fallout": [True, False, True, False],
        }
    )
    score = pl.DataFrame(
        {"product_offering_id": ["A", "A", "C"], "channel": ["Online", "Partner", "Online"]}
    )
    assert fallout_baseline(train, score).tolist() == [0.5, 1.0, 0.5]  # C: the overall rate


def test_the_churn_baseline_ranks_recent_bad_experience_first() -> None:
    score = pl.DataFrame(
        {"days_since_bad_experience": [1, 10, None]}, schema={"days_since_bad_experience": pl.Int32}
    )
    assert churn_baseline(score).tolist() == [0.5, 1 / 11, 0.0]
    assert CHURN.label == "is_churned" and "days_since_bad_experience" in CHURN.numeric


def _hours(days: int, drift_start: datetime | None) -> pl.DataFrame:
    """Two LTE cells, hourly, with noise; cell B's throughput drifts down from drift_start."""
    rng = np.random.default_rng(3)
    t0 = datetime(2026, 1, 1, tzinfo=UTC)
    rows = []
    for h in range(days * 24):
        t = t0 + timedelta(hours=h)
        for cell in ("A", "B"):
            load = 0.5 + 0.4 * np.sin(2 * np.pi * (t.hour - 8) / 24)
            thp = 32_000 * (1 - 0.75 * load) * rng.lognormal(0, 0.05)
            if cell == "B" and drift_start is not None and t >= drift_start:
                done = min(1.0, (t - drift_start).total_seconds() / (12 * 3600))
                thp *= 1 - 0.85 * done
            rows.append(
                {
                    "cell_id": cell,
                    "hour_start_utc": t,
                    "date_day": t.date(),
                    "technology": "LTE",
                    "accessibility_pct": 99.4 + rng.normal(0, 0.1),
                    "retainability_pct": 99.6 + rng.normal(0, 0.1),
                    "availability_pct": 100.0,
                    "dl_user_throughput_kbps": thp,
                }
            )
    return anomalies.with_calendar(pl.DataFrame(rows))


def test_the_detector_flags_a_gradual_drift_before_the_thresholds_do() -> None:
    drift = datetime(2026, 1, 20, 6, tzinfo=UTC)
    frame = _hours(24, drift)
    train = frame.filter(pl.col("hour_start_utc") < datetime(2026, 1, 15, tzinfo=UTC))
    score = frame.filter(pl.col("hour_start_utc") >= datetime(2026, 1, 15, tzinfo=UTC))
    model = anomalies.fit_detector(train)
    scored = anomalies.score_hours(model, score)
    flagged = scored.filter(pl.col("is_anomaly"))
    assert set(flagged["cell_id"]) == {"B"}  # cell A: no false flag
    first = flagged["hour_start_utc"].min()
    alerts = anomalies.tca_flags(score).filter(pl.col("is_alert"))
    assert first >= drift - timedelta(hours=1)
    assert alerts.height and first < alerts["hour_start_utc"].min()


def test_an_outage_hour_is_an_anomaly_for_both() -> None:
    frame = _hours(16, None).with_columns(
        pl.when(
            (pl.col("cell_id") == "A")
            & (pl.col("hour_start_utc") == datetime(2026, 1, 15, 3, tzinfo=UTC))
        )
        .then(0.0)
        .otherwise(pl.col("availability_pct"))
        .alias("availability_pct")
    )
    train = frame.filter(pl.col("date_day") < date(2026, 1, 14))
    score = frame.filter(pl.col("date_day") >= date(2026, 1, 14))
    scored = anomalies.score_hours(anomalies.fit_detector(train), score)
    hits = scored.filter(pl.col("is_anomaly"))
    assert hits["hour_start_utc"].min() == datetime(2026, 1, 15, 3, tzinfo=UTC)
    assert anomalies.tca_flags(score)["is_alert"].sum() >= 1


def test_a_serving_table_keeps_its_contract(tmp_path: Path) -> None:
    frame = pl.DataFrame(
        {
            "extra": [1],
            "order_id": ["PO-1"],
            "scored_at": [datetime(2026, 2, 8, tzinfo=UTC)],
            "risk": [0.25],
            "model_version": ["abc"],
            "top_drivers": [""],
        }
    )
    path = tables.write_table(tmp_path, tables.ORDER_FALLOUT_RISK, frame)
    assert pl.read_parquet(path).columns == list(tables.SCHEMAS[tables.ORDER_FALLOUT_RISK])
    assert set(tables.read_prediction_tables(tmp_path)) == {tables.ORDER_FALLOUT_RISK}
    with pytest.raises(ValueError, match="missing columns"):
        tables.write_table(tmp_path, tables.CHURN_RISK, frame)


def test_the_version_is_the_artifact_content(tmp_path: Path) -> None:
    v1, p1 = save_model(tmp_path, "m", {"w": [1, 2]})
    v2, _ = save_model(tmp_path, "m", {"w": [1, 2]})
    v3, _ = save_model(tmp_path, "m", {"w": [1, 3]})
    assert v1 == v2 != v3 and len(v1) == 12 and p1.name == f"{v1}.pkl"
    assert load_model(tmp_path, "m", v1) == {"w": [1, 2]}


def test_the_truth_side_auc_agrees_with_scikit_learn() -> None:
    rng = np.random.default_rng(5)
    s = rng.integers(0, 5, 200).astype(float)
    y = rng.random(200) < 0.3
    assert truth_auc(list(zip(s.tolist(), y.tolist(), strict=True))) == pytest.approx(
        auc(y, s), abs=1e-4
    )


def test_a_feature_without_any_value_is_left_out_not_a_crash() -> None:
    """A customer export without `customerSince` leaves tenure null on every row (the large
    profile's zone generated before the simulator wrote it): the fit leaves it out."""
    rng = np.random.default_rng(7)
    n = 400
    risk = rng.random(n)
    train = pl.DataFrame(
        {
            "segment": rng.choice(["a", "b"], n).tolist(),
            "complaints": (risk * 5).round(),
            "tenure_days": pl.Series([None] * n, dtype=pl.Int32),
            "nan_only": [float("nan")] * n,
            "churned": risk > 0.7,
        }
    )
    model = fit_risk_model(
        train, "churned", ("segment",), ("complaints", "tenure_days", "nan_only")
    )
    assert model.features == ("segment", "complaints")
    risks = model.predict(train)
    assert risks.shape == (n,)
    assert auc(train["churned"].to_numpy(), risks) > 0.9
