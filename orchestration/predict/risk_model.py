"""A tabular risk model: gradient-boosted trees (scikit-learn's HistGradientBoostingClassifier)
on categorical and numeric features, with the per-row drivers the serving tables show.

Categorical values are coded by the categories seen in training (sorted; an unseen value is
missing), numeric ones pass as floats (null = missing; the trees route missing values).
A driver is a feature's contribution to one row's risk: the risk minus the risk with that
feature set to its training reference (the most frequent category, the median number).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import polars as pl
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.metrics import roc_auc_score
from threadpoolctl import threadpool_limits

TOP_DRIVERS = 3
# One OpenMP thread: the data are small, and on a busy machine (a build runs dbt and ingest
# workers beside it) the default thread pool made a 0.6 s fit take 13 s.
THREADS = 1


@dataclass
class RiskModel:
    """A fitted model: its features, category codes, reference row and the classifier."""

    categorical: tuple[str, ...]
    numeric: tuple[str, ...]
    categories: dict[str, list[str]] = field(default_factory=dict)
    reference: dict[str, float] = field(default_factory=dict)  # coded values, per feature
    classifier: HistGradientBoostingClassifier | None = None

    @property
    def features(self) -> tuple[str, ...]:
        return (*self.categorical, *self.numeric)

    def encode(self, frame: pl.DataFrame) -> np.ndarray:
        """(rows, features) float matrix: category codes, then numbers; NaN = missing."""
        cols = []
        for name in self.categorical:
            codes = {v: float(i) for i, v in enumerate(self.categories[name])}
            values = frame[name].cast(pl.String).to_list()
            cols.append(np.array([codes.get(v, np.nan) for v in values], dtype=float))
        for name in self.numeric:
            cols.append(frame[name].cast(pl.Float64).fill_null(np.nan).to_numpy())
        return np.column_stack(cols) if cols else np.empty((frame.height, 0))

    def predict(self, frame: pl.DataFrame) -> np.ndarray:
        """Risk (probability of the positive outcome) per row."""
        assert self.classifier is not None
        with threadpool_limits(THREADS):
            return self.classifier.predict_proba(self.encode(frame))[:, 1]

    def drivers(self, frame: pl.DataFrame, risk: np.ndarray) -> list[str]:
        """Per row, the TOP_DRIVERS features that raise its risk most over the reference:
        'feature=value (+0.123)' joined by '; ' (empty when nothing raises it)."""
        assert self.classifier is not None
        x = self.encode(frame)
        deltas = np.zeros((frame.height, len(self.features)))
        with threadpool_limits(THREADS):
            for j, name in enumerate(self.features):
                swapped = x.copy()
                swapped[:, j] = self.reference[name]
                deltas[:, j] = risk - self.classifier.predict_proba(swapped)[:, 1]
        raw = {name: [_shown(v) for v in frame[name].to_list()] for name in self.features}
        out = []
        for i in range(frame.height):
            order = np.argsort(-deltas[i], kind="stable")[:TOP_DRIVERS]
            parts = [
                f"{self.features[j]}={raw[self.features[j]][i]} ({deltas[i, j]:+.3f})"
                for j in order
                if deltas[i, j] > 0.0005
            ]
            out.append("; ".join(parts))
        return out


def fit_risk_model(
    train: pl.DataFrame, label: str, categorical: tuple[str, ...], numeric: tuple[str, ...]
) -> RiskModel:
    """Fit on `train` (sorted by the caller, so the same rows give the same artifact).

    A feature with no value in any training row is left out of the model (scikit-learn's
    binning fails on a column without one value): e.g. tenure when the customer export has no
    `customerSince`. The model's features (and its card) then do not name it."""
    categorical = tuple(name for name in categorical if _has_values(train[name]))
    numeric = tuple(name for name in numeric if _has_values(train[name]))
    model = RiskModel(categorical, numeric)
    for name in categorical:
        model.categories[name] = sorted({str(v) for v in train[name].to_list() if v is not None})
    x = model.encode(train)
    for j, name in enumerate(model.features):
        col = x[:, j][~np.isnan(x[:, j])]
        if name in categorical:
            model.reference[name] = (
                float(np.bincount(col.astype(int)).argmax()) if len(col) else 0.0
            )
        else:
            model.reference[name] = float(np.median(col)) if len(col) else 0.0
    model.classifier = HistGradientBoostingClassifier(
        learning_rate=0.05,
        max_iter=150,
        max_depth=2,  # the planted risks are additive: shallow trees, little to overfit
        min_samples_leaf=20,
        l2_regularization=1.0,
        categorical_features=list(range(len(categorical))),
        early_stopping=False,
        random_state=0,
    )
    with threadpool_limits(THREADS):
        model.classifier.fit(x, train[label].cast(pl.Int8).to_numpy())
    return model


def _has_values(column: pl.Series) -> bool:
    """Whether a feature column holds at least one value (not null, not NaN)."""
    if column.dtype.is_float():
        column = column.fill_nan(None)
    return column.drop_nulls().len() > 0


def _shown(value: object) -> str:
    """A feature value as a driver shows it: numbers to 4 significant digits."""
    if isinstance(value, float):
        return f"{value:.4g}"
    return str(value)


def auc(outcomes: np.ndarray | list, scores: np.ndarray | list) -> float | None:
    """ROC AUC, rounded to 4 decimals; None unless both outcomes occur."""
    y = np.asarray(outcomes, dtype=bool)
    if y.all() or not y.any():
        return None
    return round(float(roc_auc_score(y, np.asarray(scores, dtype=float))), 4)
