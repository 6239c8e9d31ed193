"""The prediction targets of issue 18 on a profile and seed the tests do not use.

    uv run python tests/bench/predictions.py [--profile small] [--seed 23] [--work DIR]
        [--skip-build]

Generates the landing zone (`itot generate`), builds it (`itot build`, wall seconds), then
reports against truth.json["predictive"] (tests/predict_truth.py):
- fallout and churn: AUC of the served risk, of the truth's probabilities (the oracle), and
  of each model's baseline (from its card);
- anomalies: planted anomalies of the scoring window flagged (1 h before start .. 2 h after
  end), the median lead of the model's first flag over the TCA baseline's on gradual
  degradations, flagged hours outside every anomaly window per 100 cell-days;
- cost: the three predict steps' seconds against the rest of the build (Dagster step times)
  and the load average.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import duckdb  # noqa: E402
import polars as pl  # noqa: E402

from orchestration import paths  # noqa: E402
from orchestration.predict import anomalies  # noqa: E402
from orchestration.predict.features import CELL_HOUR_FEATURES, read_mart  # noqa: E402
from tests.bench.large_build import itot, step_seconds  # noqa: E402
from tests.predict_truth import anomaly_quality, median_or_none, risk_quality  # noqa: E402


def _cards(data: Path) -> dict[str, dict]:
    """The latest model card of each model asset (Dagster metadata `model_card`)."""
    os.environ["DAGSTER_HOME"] = str(data / "dagster")
    import dagster as dg

    out = {}
    with dg.DagsterInstance.get() as instance:
        for model in ("order_fallout_model", "churn_model", "cell_anomaly_model"):
            event = instance.get_latest_materialization_event(dg.AssetKey(model))
            if event and event.asset_materialization:
                out[model] = event.asset_materialization.metadata["model_card"].value
    return out


def _baseline_hours(data: Path) -> list:
    """(cell, hour) of every TCA alert in the scoring window."""
    hours = read_mart(paths.warehouse_path(data), CELL_HOUR_FEATURES, data)
    alerts = anomalies.tca_flags(hours.filter(pl.col("split") == "score"))
    return list(alerts.filter(pl.col("is_alert")).select("cell_id", "hour_start_utc").iter_rows())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profile", default="small")
    parser.add_argument("--seed", type=int, default=23)
    parser.add_argument("--work", type=Path, default=Path("/tmp/itot-bench-predict"))
    parser.add_argument("--skip-build", action="store_true", help="report on an existing build")
    args = parser.parse_args()
    landing, data = args.work / "landing", args.work / "data"
    build_s = None
    load = os.getloadavg()
    if not args.skip_build:
        subprocess.run(
            itot(
                "generate",
                "--profile",
                args.profile,
                "--seed",
                str(args.seed),
                "--out",
                str(landing),
            ),
            check=True,
            stdout=subprocess.DEVNULL,
        )
        t0 = time.monotonic()
        subprocess.run(itot("build", "--landing", str(landing), "--data", str(data)), check=True)
        build_s = time.monotonic() - t0
    truth = json.loads((landing / "truth.json").read_text(encoding="utf-8"))["predictive"]
    cards = _cards(data)
    steps = step_seconds(data)
    predict_s = sum(s for k, s in steps.items() if k.startswith("train_and_score_"))
    rest_s = sum(s for k, s in steps.items() if not k.startswith("train_and_score_"))
    with duckdb.connect(str(paths.serving_path(data)), read_only=True) as con:
        fallout = risk_quality(
            con, "srv_order_fallout_risk", "order_id", truth["orders"], "fell_out"
        )
        churn = risk_quality(con, "srv_churn_risk", "customer_id", truth["customers"], "churned")
        anomaly = anomaly_quality(con, truth, _baseline_hours(data))
    report = {
        "profile": args.profile,
        "seed": args.seed,
        "load_average_at_start": [round(x, 1) for x in load],
        "build_wall_s": round(build_s, 1) if build_s else None,
        "predict_steps_s": round(predict_s, 1),
        "other_steps_s": round(rest_s, 1),
        "predict_share_of_rest_pct": round(100 * predict_s / rest_s, 1) if rest_s else None,
        "fallout": {
            "auc": fallout.model_auc,
            "oracle_auc": truth["oracle_auc"]["fallout"],
            "baseline_auc": cards.get("order_fallout_model", {}).get("baseline_auc"),
            "rows": fallout.rows,
            "positives": fallout.positives,
        },
        "churn": {
            "auc": churn.model_auc,
            "oracle_auc": truth["oracle_auc"]["churn"],
            "baseline_auc": cards.get("churn_model", {}).get("baseline_auc"),
            "rows": churn.rows,
            "positives": churn.positives,
        },
        "anomalies": {
            "planted_in_window": anomaly.planted,
            "flagged": anomaly.flagged,
            "recall_pct": round(100 * anomaly.flagged / anomaly.planted, 1)
            if anomaly.planted
            else None,
            "missed": anomaly.missed,
            "gradual_lead_h": [round(x, 2) for x in anomaly.gradual_leads_h],
            "gradual_median_lead_h": median_or_none(anomaly.gradual_leads_h),
            "false_flags": anomaly.false_flags,
            "cell_days": round(anomaly.cell_days, 1),
            "false_flags_per_100_cell_days": round(anomaly.false_flags_per_100_cell_days, 3),
        },
    }
    print(json.dumps(report, indent=2, default=str))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
