"""The prediction tables of the shared demo build: their contract, the time split (nothing
scored that trained), the model cards, and their quality against truth.json["predictive"]
(docs/predictions.md). The demo's scoring window is small (about 320 orders with about ten
fallouts, 850 customers, 24 cells), so the margins here are wide; the targets themselves are
measured by tests/bench/predictions.py on a larger profile."""

from __future__ import annotations

import json
import os
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import duckdb
import polars as pl
import pytest

from orchestration import paths
from orchestration.predict import anomalies, tables
from orchestration.predict.features import CELL_HOUR_FEATURES, read_mart
from tests.build_env import build_env_restored
from tests.predict_truth import anomaly_quality, median_or_none, risk_quality

DUCK_TYPES = (
    (tables.UTC_TS, "TIMESTAMP WITH TIME ZONE"),
    (pl.String, "VARCHAR"),
    (pl.Float64, "DOUBLE"),
    (pl.Boolean, "BOOLEAN"),
    (pl.Int64, "BIGINT"),
    (pl.Date, "DATE"),
)


def _duck_type(dtype: pl.DataType) -> str:
    """DuckDB's name for a polars type of tables.SCHEMAS (given as a class or an instance)."""
    return next(name for polars_type, name in DUCK_TYPES if dtype == polars_type)


def _truth(landing: Path) -> dict:
    return json.loads((landing / "truth.json").read_text(encoding="utf-8"))["predictive"]


def _snapshot(data: Path) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(str(paths.serving_path(data)), read_only=True)
    con.execute("set TimeZone = 'UTC'")
    return con


def _start(predictive: dict) -> datetime:
    return datetime.strptime(predictive["scoring_window"]["from"], "%Y-%m-%dT%H:%M:%SZ").replace(
        tzinfo=UTC
    )


def test_the_tables_keep_their_contract(demo_build) -> None:
    _, data = demo_build
    with _snapshot(data) as con:
        for table, schema in tables.SCHEMAS.items():
            got = con.execute(
                "select column_name, data_type from information_schema.columns "
                "where table_name = ? order by ordinal_position",
                [table],
            ).fetchall()
            assert got == [(c, _duck_type(t)) for c, t in schema.items()], table
            (rows,) = con.sql(f"select count(*) from {table}").fetchone()  # noqa: S608
            assert rows > 0, table


def test_the_platform_scores_the_window_the_simulator_planted(demo_build) -> None:
    landing, data = demo_build
    start = _start(_truth(landing))
    with _snapshot(data) as con:
        (platform_start,) = con.sql(
            "select distinct scoring_start_date from fct_prediction_windows"
        ).fetchone()
    assert platform_start == start.date()


def test_every_order_of_the_window_is_scored_at_creation_and_nothing_that_trained(
    demo_build,
) -> None:
    landing, data = demo_build
    start = _start(_truth(landing))
    with _snapshot(data) as con:
        scored = dict(con.sql("select order_id, scored_at from srv_order_fallout_risk").fetchall())
        created = dict(con.sql("select order_id, created_at from fct_product_orders").fetchall())
        trained = {
            r[0]
            for r in con.sql(
                "select order_id from fct_order_fallout_features where split = 'train'"
            ).fetchall()
        }
        risks = [r[0] for r in con.sql("select risk from srv_order_fallout_risk").fetchall()]
    assert set(scored) == {o for o, t in created.items() if t >= start}
    assert all(scored[o] == created[o] for o in scored)
    assert not set(scored) & trained and trained
    assert all(0.0 <= r <= 1.0 for r in risks)


def test_every_active_customer_and_every_cell_hour_of_the_window_is_scored(demo_build) -> None:
    landing, data = demo_build
    predictive = _truth(landing)
    start = _start(predictive)
    with _snapshot(data) as con:
        churn = con.sql("select customer_id, scored_at from srv_churn_risk").fetchall()
        trained = con.sql(
            "select count(*) from fct_churn_features where split = 'train'"
        ).fetchone()[0]
        hours = con.execute(
            "select count(*) from fct_cell_quality_hourly where hour_start_utc >= ?", [start]
        ).fetchone()[0]
        anomaly_rows, first_hour = con.sql(
            "select count(*), min(hour_start_utc) from srv_cell_anomalies"
        ).fetchone()
        (dupes,) = con.sql(
            "select count(*) - count(distinct (cell_id, hour_start_utc)) from srv_cell_anomalies"
        ).fetchone()
    assert {c for c, _ in churn} == set(predictive["customers"])
    assert {t for _, t in churn} == {start} and trained > 0
    assert anomaly_rows == hours and first_hour == start and dupes == 0


def test_the_churn_features_count_the_planted_bill_shocks(demo_build) -> None:
    """Each customer's bill_shocks_28d at every assessment is the number of the simulator's
    planted bill shocks (truth.predictive.bill_shocks) dated in the 28 days before it: the
    platform finds them from the bills export alone."""
    landing, data = demo_build
    shocks = _truth(landing)["bill_shocks"]
    assert shocks
    with _snapshot(data) as con:
        rows = con.sql(
            "select customer_id, assessment_date, bill_shocks_28d from fct_churn_features"
        ).fetchall()
    days = {}
    for s in shocks:
        days.setdefault(s["customer_id"], []).append(date.fromisoformat(s["bill_date"]))
    expected = {
        (c, a): sum(a - timedelta(days=28) <= d < a for d in days.get(c, [])) for c, a, _ in rows
    }
    assert {(c, a): n for c, a, n in rows} == expected
    assert sum(n for _, _, n in rows) > 0


def _cards(data: Path) -> dict[str, dict]:
    import dagster as dg

    with build_env_restored():
        os.environ[paths.DAGSTER_HOME_ENV] = str(paths.dagster_home(data))
        with dg.DagsterInstance.get() as instance:
            out = {}
            for model in ("order_fallout_model", "churn_model", "cell_anomaly_model"):
                event = instance.get_latest_materialization_event(dg.AssetKey(model))
                out[model] = event.asset_materialization.metadata["model_card"].value
    return out


def test_each_model_has_a_card_and_a_content_versioned_artifact(demo_build) -> None:
    _, data = demo_build
    cards = _cards(data)
    with _snapshot(data) as con:
        for model, table in (
            ("order_fallout_model", "srv_order_fallout_risk"),
            ("churn_model", "srv_churn_risk"),
            ("cell_anomaly_model", "srv_cell_anomalies"),
        ):
            card = cards[model]
            assert card["features"] and card["training_window"]["rows"] > 0
            assert card["training_window"]["to"] < card["held_out_window"]["from"]
            assert Path(card["artifact"]).name == f"{card['version']}.pkl"
            assert (data / card["artifact"]).is_file()  # relative to the data folder
            versions = {
                r[0] for r in con.sql(f"select distinct model_version from {table}").fetchall()
            }  # noqa: S608
            assert versions == {card["version"]}, model
    assert {"held_out_auc", "baseline_auc", "baseline"} <= set(cards["order_fallout_model"])


def test_risks_rank_the_truth_better_than_the_baselines(demo_build) -> None:
    landing, data = demo_build
    predictive = _truth(landing)
    cards = _cards(data)
    with _snapshot(data) as con:
        fallout = risk_quality(
            con, "srv_order_fallout_risk", "order_id", predictive["orders"], "fell_out"
        )
        churn = risk_quality(
            con, "srv_churn_risk", "customer_id", predictive["customers"], "churned"
        )
        drivers = con.sql(
            "select count(*) filter (where top_drivers <> '') / count(*) "
            "from srv_order_fallout_risk"
        ).fetchone()[0]
    assert fallout.oracle_auc == pytest.approx(predictive["oracle_auc"]["fallout"], abs=1e-3)
    assert churn.oracle_auc == pytest.approx(predictive["oracle_auc"]["churn"], abs=1e-3)
    # about ten fallouts in the demo's window: wide margins; the targets run in the bench
    assert fallout.model_auc >= fallout.oracle_auc - 0.25, fallout
    assert fallout.model_auc > cards["order_fallout_model"]["baseline_auc"], fallout
    assert churn.model_auc >= churn.oracle_auc - 0.08, churn
    assert churn.model_auc > cards["churn_model"]["baseline_auc"], churn
    assert drivers > 0.5


def test_planted_anomalies_are_flagged_early_and_false_flags_are_rare(demo_build) -> None:
    landing, data = demo_build
    predictive = _truth(landing)
    hours = read_mart(paths.warehouse_path(data), CELL_HOUR_FEATURES, data)
    alerts = anomalies.tca_flags(hours.filter(pl.col("split") == "score"))
    baseline = list(
        alerts.filter(pl.col("is_alert")).select("cell_id", "hour_start_utc").iter_rows()
    )
    with _snapshot(data) as con:
        quality = anomaly_quality(con, predictive, baseline)
    assert quality.planted >= 5 and quality.flagged / quality.planted >= 0.95, quality.missed
    assert quality.false_flags_per_100_cell_days <= 1.0, quality
    assert quality.gradual_leads_h and median_or_none(quality.gradual_leads_h) > 0, quality
