"""15-minute RAN counters per cell, one UTC day at a time (vectorised, bounded memory).

Grain: cell x 15-minute period. Units as in docs/landing_zone.md: counts, kbit/s, %, seconds.
"""

from __future__ import annotations

import numpy as np

from .network import (
    GRADUAL_ACCESS_FLOOR,
    GRADUAL_ACCESS_KIND,
    GRADUAL_KIND,
    Impairment,
    Network,
    gradual_done,
    gradual_factor,
)
from .timefmt import PERIOD_S, PERIODS_PER_DAY, Period

COUNTERS: tuple[str, ...] = (
    "RRC.ConnEstab.Att",
    "RRC.ConnEstab.Succ",
    "DRB.RelAbnormal",
    "DRB.RelNormal",
    "DRB.UEThpDl",
    "DRB.UEThpUl",
    "RRU.PrbUsedDl",
    "CELL.UnavailTime",
)
PRB = COUNTERS.index("RRU.PrbUsedDl")  # the only counter with a decimal (stored in tenths)


def diurnal_shape() -> np.ndarray:
    """Relative traffic per 15-min period of a day (96 values, trough ~04:00, peak ~20:00)."""
    h = (np.arange(PERIODS_PER_DAY) + 0.5) / 4.0
    base = (1 - np.cos(2 * np.pi * (h - 4.0) / 24.0)) / 2.0
    evening = np.exp(-((h - 20.0) ** 2) / 8.0)
    return 0.08 + 0.7 * base**1.3 + 0.3 * evening


def day_counters(
    period: Period, day: int, net: Network, imps: list[Impairment], seed: int
) -> np.ndarray:
    """Counter values for one day: int64 array (cells, 96, 8); PRB utilisation in tenths of %.

    Each day has its own random stream, so days can be generated independently and streamed.
    """
    rng = np.random.default_rng([seed, 101, day])
    n = net.n
    weekday = period.day(day).weekday()
    day_factor = 0.85 if weekday >= 5 else 1.0
    shape = diurnal_shape()[None, :] * day_factor * net.load[:, None]  # (n, 96)
    shape = shape * rng.lognormal(0.0, 0.08, (n, PERIODS_PER_DAY))

    # per-period multipliers of the planted degradations, and the outage mask
    p_succ = np.full((n, PERIODS_PER_DAY), 0.994)
    p_drop = np.full((n, PERIODS_PER_DAY), 0.004)
    thp_f = np.ones((n, PERIODS_PER_DAY))
    down = np.zeros((n, PERIODS_PER_DAY), dtype=bool)
    access_ramp = np.zeros((n, PERIODS_PER_DAY), dtype=bool)  # gradual access periods
    d0 = period.day_t0(day)
    for imp in imps:
        a = max(0, (imp.start - d0) // PERIOD_S)
        b = min(PERIODS_PER_DAY, (imp.end - d0) // PERIOD_S)
        if a >= b:
            continue
        if imp.kind == "outage":
            down[imp.cell, a:b] = True
        elif imp.kind == "low_rrc_success":
            p_succ[imp.cell, a:b] = 0.82
        elif imp.kind == "high_drops":
            p_drop[imp.cell, a:b] = 0.05
        elif imp.kind == GRADUAL_KIND:
            thp_f[imp.cell, a:b] *= gradual_factor(imp, d0 + np.arange(a, b) * PERIOD_S)
        elif imp.kind == GRADUAL_ACCESS_KIND:
            done = gradual_done(imp, d0 + np.arange(a, b) * PERIOD_S)
            p_succ[imp.cell, a:b] -= (p_succ[imp.cell, a:b] - GRADUAL_ACCESS_FLOOR) * done
            access_ramp[imp.cell, a:b] = True
        else:
            thp_f[imp.cell, a:b] = 0.18

    att = rng.poisson(1500.0 * shape)
    succ = rng.binomial(att, p_succ)
    # a gradual access drift stays above the PM incident rule's 90 % (truth_incidents): its
    # low-traffic tail is clamped there, so only the detector and the TCA baseline see it
    succ = np.where(access_ramp, np.maximum(succ, -((-9 * att) // 10)), succ)
    drops = rng.binomial(succ, p_drop)
    normal = succ - drops
    prb = np.clip(shape * 55.0 + rng.normal(0, 3.0, shape.shape), 0.5, 99.5)
    peak_dl = np.where(net.tech == "NR", 180_000.0, 32_000.0)[:, None]
    thp_dl = peak_dl * (1.0 - 0.75 * prb / 100.0) * thp_f * rng.lognormal(0, 0.1, shape.shape)
    thp_ul = thp_dl * rng.uniform(0.10, 0.18, shape.shape)

    out = np.stack(
        [
            att,
            succ,
            drops,
            normal,
            np.rint(thp_dl),
            np.rint(thp_ul),
            np.rint(prb * 10),
            np.zeros_like(att),
        ],
        axis=-1,
    ).astype(np.int64)
    # a cell that is down carries no traffic at all and reports the whole period unavailable
    out[down] = 0
    out[down, len(COUNTERS) - 1] = PERIOD_S
    return out
