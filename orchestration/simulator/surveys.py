"""NPS / CSAT survey responses: random relationship surveys plus post-incident surveys of
exposed customers. NPS falls with the quality the customer experienced in the last 7 days.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .customers import Customers
from .profiles import Profile
from .timefmt import DAY_S, Period

CHANNELS = ("email", "sms", "app")


@dataclass
class Survey:
    id: str
    customer: int
    day: int  # day index in the period
    channel: str
    nps: int
    csat: int | None
    exposed: bool  # experienced impaired cells in the 7 days before


def simulate_surveys(
    profile: Profile, period: Period, cust: Customers, rng: np.random.Generator
) -> list[Survey]:
    out = []
    ex = cust.exposure
    # max share on impaired cells over the trailing 7 days (including the day itself)
    recent = np.zeros_like(ex)
    for d in range(period.days):
        recent[:, d] = ex[:, max(0, d - 6) : d + 1].max(axis=1)
    for d in range(period.days):
        t = period.day_t0(d)
        active = cust.active_on(t + DAY_S)
        rnd = rng.integers(0, cust.n, int(rng.poisson(profile.surveys_per_day)))
        # post-incident survey: a share of customers hit 1-3 days ago are asked
        hit = np.flatnonzero(
            (ex[:, max(0, d - 3) : max(0, d - 1)].sum(axis=1) > 0)
            if d >= 2
            else np.zeros(cust.n, dtype=bool)
        )
        hit = hit[rng.random(len(hit)) < 0.12]
        who = np.unique(np.concatenate([rnd, hit]))
        who = who[active[who]]
        impact = np.minimum(1.0, 4.0 * recent[who, d])
        nps = np.clip(np.rint(rng.normal(8.4 - 5.5 * impact, 1.5)), 0, 10).astype(int)
        csat = np.clip(np.rint(1 + nps * 0.4 + rng.normal(0, 0.5, len(who))), 1, 5).astype(int)
        has_csat = rng.random(len(who)) < 0.8
        chan = rng.integers(0, 3, len(who))
        for j, c in enumerate(who):
            out.append(
                Survey(
                    f"SRV-{len(out) + 1:07d}",
                    int(c),
                    d,
                    CHANNELS[chan[j]],
                    int(nps[j]),
                    int(csat[j]) if has_csat[j] else None,
                    bool(recent[c, d] > 0),
                )
            )
    return out
