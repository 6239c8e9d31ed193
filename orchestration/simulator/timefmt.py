"""Time helpers: the period in epoch seconds and ISO 8601 formatting (UTC, 'Z' suffix)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import numpy as np
import polars as pl

DAY_S = 86_400
PERIOD_S = 900  # one 15-minute RAN reporting period
PERIODS_PER_DAY = DAY_S // PERIOD_S


@dataclass(frozen=True)
class Period:
    """The simulated period [start, end) in UTC; `t0`/`t1` are epoch seconds."""

    start: date
    days: int

    @property
    def t0(self) -> int:
        d = self.start
        return int(datetime(d.year, d.month, d.day, tzinfo=UTC).timestamp())

    @property
    def t1(self) -> int:
        return self.t0 + self.days * DAY_S

    def day(self, i: int) -> date:
        return self.start + timedelta(days=i)

    def day_t0(self, i: int) -> int:
        return self.t0 + i * DAY_S


def iso(t: int | float) -> str:
    """Epoch seconds -> '2026-01-01T00:15:00Z'."""
    return datetime.fromtimestamp(int(t), tz=UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def iso_series(t: np.ndarray) -> pl.Series:
    """Vectorised iso(): epoch seconds (int64 array) -> Utf8 series."""
    us = pl.Series(np.asarray(t, dtype=np.int64) * 1_000_000)
    return us.cast(pl.Datetime("us", "UTC")).dt.strftime("%Y-%m-%dT%H:%M:%SZ")


def month_starts(period: Period) -> list[int]:
    """Epoch seconds of every 1st-of-month 00:00 in [t0, t1], plus t1's next month start."""
    out = []
    d = period.start.replace(day=1)
    while True:
        t = int(datetime(d.year, d.month, 1, tzinfo=UTC).timestamp())
        out.append(t)
        if t >= period.t1:
            break
        d = (d.replace(day=28) + timedelta(days=4)).replace(day=1)
    return out
