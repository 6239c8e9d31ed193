"""Network faults: the planted impairments plus background faults, each one alarm (raise and,
if inside the period, clear). Times are epoch seconds.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .network import Impairment, Network
from .profiles import Profile
from .timefmt import DAY_S, PERIOD_S, Period

# kind -> (alarmCondition, specificProblem, severity)
ALARM_OF = {
    "outage": ("CellUnavailable", "Cell out of service", "CRITICAL"),
    "low_rrc_success": (
        "RrcSetupFailureRateHigh",
        "RRC setup success rate below threshold",
        "MAJOR",
    ),
    "high_drops": ("CallDropRateHigh", "Abnormal bearer release rate above threshold", "MAJOR"),
    "low_throughput": ("ThroughputDegraded", "DL user throughput below threshold", "MAJOR"),
    "bg_link": ("TransportLinkDegraded", "S1/NG transport link errors", "MAJOR"),
    "bg_temp": ("HighTemperature", "Radio unit temperature high", "MINOR"),
    "bg_vswr": ("VswrOverThreshold", "Antenna VSWR over threshold", "MINOR"),
}


@dataclass
class Fault:
    cell: int
    kind: str
    start: int  # fault start (first bad period)
    end: int  # fault end; may lie beyond the period end (still open)
    raised: int  # alarm raise time
    planted: bool


def build_faults(
    profile: Profile,
    period: Period,
    net: Network,
    imps: list[Impairment],
    go_live_t: int,
    rng: np.random.Generator,
) -> list[Fault]:
    """Planted impairments raise alarms; background faults last shorter after go-live
    (automated detection and remediation)."""
    faults = []
    for imp in imps:
        # degradations are only seen once a full period of counters is in
        delay = int(rng.integers(5, 60)) if imp.kind == "outage" else PERIOD_S
        faults.append(Fault(imp.cell, imp.kind, imp.start, imp.end, imp.start + delay, True))
    k = int(rng.poisson(profile.background_alarms_per_cell_day * net.n * period.days))
    cells = rng.integers(0, net.n, k)
    starts = period.t0 + rng.integers(0, period.days * DAY_S - 3600, k)
    kinds = rng.choice(["bg_link", "bg_temp", "bg_vswr"], size=k, p=[0.4, 0.3, 0.3])
    for c, s, kind in zip(cells, starts, kinds, strict=True):
        median_h = 1.2 if s >= go_live_t else 4.0
        dur = int(rng.lognormal(np.log(median_h), 0.7) * 3600) + 300
        faults.append(Fault(int(c), str(kind), int(s), int(s) + dur, int(s) + 30, False))
    faults.sort(key=lambda f: (f.raised, f.cell))
    return faults
