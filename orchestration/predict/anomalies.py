"""The cell anomaly detector and its threshold baseline (docs/predictions.md).

The detector learns each cell's normal from the training window: per cell, UTC hour of day
and day type (weekday / weekend), the median of accessibility, retainability, availability and
log downlink throughput; per cell, UTC hour of day and KPI, the robust spread of the hours
around those medians (1.4826 x median absolute deviation, floored). An hour of the scoring
window scores the largest deviation in the bad direction over the KPIs, as a robust z-score,
taken both for the hour alone and for the mean of the last three hours (x sqrt 3: a drift
that is small each hour but persistent shows earlier); it is an anomaly at THRESHOLD or above.

The baseline is what a TCA (threshold-crossing alert) rule does: fixed thresholds on the same
KPIs for every cell (THRESHOLDS), no notion of the cell's normal.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

# (KPI, column, floor of the robust spread); every KPI is "higher is better"
KPIS: tuple[tuple[str, str, float], ...] = (
    ("accessibility", "accessibility_pct", 0.3),
    ("retainability", "retainability_pct", 0.3),
    ("availability", "availability_pct", 1.0),
    ("throughput", "log_dl_throughput", 0.04),
)
THRESHOLD = 7.0  # robust z at or above which an hour is an anomaly
SUSTAIN_HOURS = 3
MAD_SCALE = 1.4826  # MAD -> standard deviation of a normal distribution
# spreads per cell and hour of day: a quiet night hour's ratios are noisier than a busy hour's
SPREAD_KEYS = ["cell_id", "hour_of_day"]
# TCA baseline: an hour crosses when any KPI is worse than its fixed threshold
TCA_ACCESSIBILITY_PCT = 95.0
TCA_RETAINABILITY_PCT = 98.0
TCA_AVAILABILITY_PCT = 99.0
TCA_DL_THROUGHPUT_KBPS = {"NR": 30_000.0, "LTE": 5_000.0}  # per technology (others: LTE's)


@dataclass
class AnomalyModel:
    """The learnt normal: medians per (cell, hour of day, weekend), spreads per (cell, hour)."""

    medians: pl.DataFrame
    spreads: pl.DataFrame
    threshold: float = THRESHOLD


def with_calendar(frame: pl.DataFrame) -> pl.DataFrame:
    """Add hour_of_day (0-23, UTC), is_weekend and log_dl_throughput (null when no traffic)."""
    ts = pl.col("hour_start_utc").dt.convert_time_zone("UTC")
    return frame.with_columns(
        ts.dt.hour().cast(pl.Int32).alias("hour_of_day"),
        (ts.dt.weekday() >= 6).alias("is_weekend"),
        pl.when(pl.col("dl_user_throughput_kbps") > 0)
        .then(pl.col("dl_user_throughput_kbps").log())
        .otherwise(None)
        .alias("log_dl_throughput"),
    )


def fit_detector(train: pl.DataFrame) -> AnomalyModel:
    """Learn the medians and spreads from the training rows (features from with_calendar)."""
    keys = ["cell_id", "hour_of_day", "is_weekend"]
    medians = (
        train.group_by(keys)
        .agg(pl.col(col).median().alias(f"med_{name}") for name, col, _ in KPIS)
        .sort(keys)
    )
    resid = train.join(medians, on=keys, how="left").select(
        "cell_id",
        "hour_of_day",
        *((pl.col(col) - pl.col(f"med_{name}")).alias(name) for name, col, _ in KPIS),
    )
    spreads = (
        resid.group_by(SPREAD_KEYS)
        .agg(
            pl.max_horizontal(
                (pl.col(name) - pl.col(name).median()).abs().median() * MAD_SCALE, pl.lit(floor)
            ).alias(f"sd_{name}")
            for name, _, floor in KPIS
        )
        .sort(SPREAD_KEYS)
    )
    return AnomalyModel(medians, spreads)


def score_hours(model: AnomalyModel, hours: pl.DataFrame) -> pl.DataFrame:
    """Per cell-hour: score (the largest bad-direction robust z, hourly or sustained) and
    is_anomaly. Hours of a cell or key the model never saw score 0 on the missing KPIs."""
    keys = ["cell_id", "hour_of_day", "is_weekend"]
    z = (
        hours.join(model.medians, on=keys, how="left")
        .join(model.spreads, on=SPREAD_KEYS, how="left")
        .with_columns(
            ((pl.col(f"med_{name}") - pl.col(col)) / pl.col(f"sd_{name}"))
            .fill_null(0.0)
            .fill_nan(0.0)
            .clip(lower_bound=0.0)
            .alias(f"z_{name}")
            for name, col, _ in KPIS
        )
        .sort("cell_id", "hour_start_utc")
    )
    sustained = [
        (
            pl.col(f"z_{name}").rolling_mean(SUSTAIN_HOURS, min_samples=1).over("cell_id")
            * np.sqrt(SUSTAIN_HOURS)
        ).alias(f"s_{name}")
        for name, _, _ in KPIS
    ]
    z = z.with_columns(sustained)
    score = pl.max_horizontal(
        *(pl.col(f"z_{name}") for name, _, _ in KPIS),
        *(pl.col(f"s_{name}") for name, _, _ in KPIS),
    )
    return z.select(
        "cell_id",
        "hour_start_utc",
        score.round(4).alias("score"),
        (score >= model.threshold).alias("is_anomaly"),
    )


def tca_flags(hours: pl.DataFrame) -> pl.DataFrame:
    """Per cell-hour, whether the fixed-threshold (TCA) baseline alerts."""
    thp_limit = (
        pl.when(pl.col("technology").str.to_uppercase() == "NR")
        .then(TCA_DL_THROUGHPUT_KBPS["NR"])
        .otherwise(TCA_DL_THROUGHPUT_KBPS["LTE"])
    )
    crossed = (
        (pl.col("accessibility_pct") < TCA_ACCESSIBILITY_PCT).fill_null(False)
        | (pl.col("retainability_pct") < TCA_RETAINABILITY_PCT).fill_null(False)
        | (pl.col("availability_pct") < TCA_AVAILABILITY_PCT).fill_null(False)
        | (pl.col("dl_user_throughput_kbps") < thp_limit).fill_null(False)
    )
    return hours.select("cell_id", "hour_start_utc", crossed.alias("is_alert")).sort(
        "cell_id", "hour_start_utc"
    )
