"""The radio network: sites, cells and the planted outages and degradations.

Grain: one row per cell. Coordinates are WGS84 degrees inside one country-sized box.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .profiles import Profile
from .timefmt import DAY_S, PERIOD_S, PERIODS_PER_DAY, Period

# Regions of the fictitious country (centre lat, lon) and the vendor that runs each one:
# operators usually buy one vendor per region, which also makes OSS batches regional.
REGIONS: tuple[tuple[str, float, float, str], ...] = (
    ("North", 59.3, 14.2, "Ericsson"),
    ("Capital", 58.6, 16.1, "Ericsson"),
    ("West", 57.7, 12.1, "Nokia"),
    ("Lakes", 57.9, 14.5, "Nokia"),
    ("East", 57.2, 16.4, "Huawei"),
    ("South", 55.8, 13.2, "Huawei"),
)
CITIES = {
    "North": "Norrby",
    "Capital": "Kungsholm",
    "West": "Vastham",
    "Lakes": "Sjodal",
    "East": "Osterfors",
    "South": "Sydvik",
}
OSS_NAME = {"Ericsson": "ENM", "Nokia": "NetAct", "Huawei": "U2020"}
LTE_BANDS = ("B3", "B7", "B20")
CELLS_PER_SITE = 3


@dataclass
class Network:
    """Inventory arrays, index = cell number - 1."""

    site_idx: np.ndarray  # int, 0-based site per cell
    region: np.ndarray  # str
    lat: np.ndarray
    lon: np.ndarray
    vendor: np.ndarray  # str
    tech: np.ndarray  # "LTE" | "NR"
    band: np.ndarray
    local_idx: np.ndarray  # 1..3 within site
    load: np.ndarray  # relative traffic weight (mean 1)
    install_date: np.ndarray  # str YYYY-MM-DD
    oss: np.ndarray  # OSS batch name per cell, e.g. "ENM-01"
    cell_ids: np.ndarray = None  # type: ignore[assignment]  # filled in __post_init__
    ne_ids: np.ndarray = None  # type: ignore[assignment]
    ldns: np.ndarray = None  # type: ignore[assignment]

    def __post_init__(self) -> None:
        n = len(self.site_idx)
        self.cell_ids = np.array([f"CELL-{i + 1:06d}" for i in range(n)])
        self.ne_ids = np.array([f"NE-{s + 1:04d}" for s in self.site_idx])
        self.ldns = np.array([self.ldn(i) for i in range(n)])

    @property
    def n(self) -> int:
        return len(self.site_idx)

    def cell_id(self, i: int) -> str:
        return f"CELL-{i + 1:06d}"

    def ne_id(self, i: int) -> str:
        return f"NE-{self.site_idx[i] + 1:04d}"

    def ldn(self, i: int) -> str:
        if self.tech[i] == "NR":
            return f"ManagedElement={self.ne_id(i)},GNBDUFunction=1,NRCellDU={self.local_idx[i]}"
        return f"ManagedElement={self.ne_id(i)},ENodeBFunction=1,EUtranCellFDD={self.local_idx[i]}"


def build_network(profile: Profile, rng: np.random.Generator) -> Network:
    """Place sites in regions, three sectors each; assign vendor, technology and OSS batch."""
    n_sites = profile.n_sites
    reg_of_site = np.arange(n_sites) % len(REGIONS)  # round-robin keeps every region populated
    reg_of_site = np.sort(reg_of_site, kind="stable")  # sites of a region get adjacent ids
    site_lat = np.array([REGIONS[r][1] for r in reg_of_site]) + rng.normal(0, 0.35, n_sites)
    site_lon = np.array([REGIONS[r][2] for r in reg_of_site]) + rng.normal(0, 0.55, n_sites)
    site_nr = rng.random(n_sites) < 0.35  # NR sites carry NR on all three sectors

    site_idx = np.repeat(np.arange(n_sites), CELLS_PER_SITE)
    n = len(site_idx)
    region = np.array([REGIONS[r][0] for r in reg_of_site])[site_idx]
    vendor = np.array([REGIONS[r][3] for r in reg_of_site])[site_idx]
    tech = np.where(site_nr[site_idx], "NR", "LTE")
    band = np.where(tech == "NR", "n78", np.array(LTE_BANDS)[rng.integers(0, 3, n)])
    # a few metres between sectors of one site, so they plot as one site
    lat = np.round(site_lat[site_idx] + rng.normal(0, 0.0004, n), 6)
    lon = np.round(site_lon[site_idx] + rng.normal(0, 0.0006, n), 6)
    load = rng.lognormal(0.0, 0.45, n)
    load = load / load.mean()
    years = rng.integers(2012, 2025, n_sites)[site_idx]
    months = rng.integers(1, 13, n_sites)[site_idx]
    install = np.array([f"{y}-{m:02d}-01" for y, m in zip(years, months, strict=True)])

    # OSS batches: per vendor, whole sites, at most batch_cells cells per batch file
    oss = np.empty(n, dtype=object)
    for v, prefix in OSS_NAME.items():
        cells = np.flatnonzero(vendor == v)
        batch = np.arange(len(cells)) // (profile.batch_cells - profile.batch_cells % 3 or 3)
        oss[cells] = np.array([f"{prefix}-{b + 1:02d}" for b in batch], dtype=object)
    return Network(
        site_idx,
        region,
        lat,
        lon,
        vendor,
        tech,
        band,
        (np.arange(n) % CELLS_PER_SITE) + 1,
        load,
        install,
        oss.astype(str),
    )


@dataclass
class Impairment:
    """A planted outage or degradation on one cell, on 15-minute period boundaries."""

    cell: int  # 0-based cell index
    kind: str  # "outage" | "low_rrc_success" | "high_drops" | "low_throughput" | GRADUAL_KINDS
    start: int  # epoch seconds
    end: int  # epoch seconds (exclusive)
    ramp_s: int = 0  # gradual degradations: seconds from start to the full effect


DEGRADATION_KINDS = ("low_rrc_success", "high_drops", "low_throughput")


def plant_impairments(
    profile: Profile, period: Period, net: Network, rng: np.random.Generator
) -> list[Impairment]:
    """Choose distinct cells for outages (1-8 h) and degradations (6-48 h), inside the period."""
    k = profile.n_outages + profile.n_degradations
    cells = rng.choice(net.n, size=min(k, net.n), replace=False)
    out: list[Impairment] = []
    for j, c in enumerate(cells):
        is_outage = j < profile.n_outages
        dur_p = int(rng.integers(4, 33)) if is_outage else int(rng.integers(24, 193))
        # keep a clean day at each end so every effect starts and ends inside the period
        first = PERIODS_PER_DAY
        last = (period.days - 1) * PERIODS_PER_DAY - dur_p
        p0 = int(rng.integers(first, max(first + 1, last)))
        kind = "outage" if is_outage else DEGRADATION_KINDS[j % len(DEGRADATION_KINDS)]
        start = period.t0 + p0 * PERIOD_S
        # short (benchmark) periods: never run past the period end
        out.append(Impairment(int(c), kind, start, min(period.t1, start + dur_p * PERIOD_S)))
    out.sort(key=lambda x: (x.start, x.cell))
    return out


GRADUAL_KIND = "gradual_throughput"
GRADUAL_ACCESS_KIND = "gradual_access"
GRADUAL_KINDS = (GRADUAL_KIND, GRADUAL_ACCESS_KIND)
GRADUAL_FLOOR = 0.15  # throughput factor reached at the end of the ramp
# RRC setup success reached at the end of an access ramp (normal 0.994): below the TCA
# baseline's 95 %, above the PM incident rule's 90 % (pm_counters clamps the tail there)
GRADUAL_ACCESS_FLOOR = 0.93


def plant_gradual(
    profile: Profile,
    period: Period,
    net: Network,
    taken: set[int],
    first_day: int,
    rng: np.random.Generator,
) -> list[Impairment]:
    """Gradual degradations, `profile.n_gradual` in the training period (from day 1 to before
    `first_day`, the scoring start) and as many again from `first_day` on, each on its own cell
    without another impairment, kinds alternating: the downlink throughput drifts linearly from
    100 % to GRADUAL_FLOOR (`gradual_throughput`) or the RRC setup success from 99.4 % to
    GRADUAL_ACCESS_FLOOR (`gradual_access`) over a 6-16 h ramp, then stays there for 2-12 h.
    No alarm is raised and the PM incident rule (access < 90 %, drops > 3 %, unavailability)
    never sees them: only a detector that knows the cell's normal can, before the fixed
    thresholds are crossed late in the ramp."""
    free = np.array([c for c in range(net.n) if c not in taken], dtype=np.int64)
    k = min(2 * profile.n_gradual, len(free))
    cells = rng.choice(free, size=k, replace=False) if k else free[:0]
    out = []
    for j, c in enumerate(cells):
        in_training = j < k // 2
        ramp_p = int(rng.integers(24, 65))
        dur_p = ramp_p + int(rng.integers(8, 49))
        if in_training:
            first = PERIODS_PER_DAY
            last = first_day * PERIODS_PER_DAY - dur_p
        else:
            first = max(first_day * PERIODS_PER_DAY, PERIODS_PER_DAY)
            last = (period.days - 1) * PERIODS_PER_DAY - dur_p
        p0 = int(rng.integers(first, max(first + 1, last)))
        start = period.t0 + p0 * PERIOD_S
        out.append(
            Impairment(
                int(c),
                GRADUAL_KINDS[j % 2],
                start,
                min(period.t1, start + dur_p * PERIOD_S),
                ramp_p * PERIOD_S,
            )
        )
    out.sort(key=lambda x: (x.start, x.cell))
    return out


def gradual_done(imp: Impairment, t: np.ndarray) -> np.ndarray:
    """Share of a gradual degradation's full effect (0..1) at period starts `t` (epoch s)."""
    return np.clip((t - imp.start + PERIOD_S) / max(imp.ramp_s, PERIOD_S), 0.0, 1.0)


def gradual_factor(imp: Impairment, t: np.ndarray) -> np.ndarray:
    """Throughput factor of a gradual throughput degradation at period starts `t`."""
    return 1.0 - (1.0 - GRADUAL_FLOOR) * gradual_done(imp, t)


def impaired_fraction_by_day(
    period: Period, n_cells: int, imps: list[Impairment], degradation_weight: float = 0.5
) -> np.ndarray:
    """Share of each cell-day (float, shape cells x days) under an outage or degradation.

    Outages weigh 1.0, degradations `degradation_weight` (0.5: what a customer served by the
    cell experiences).
    """
    frac = np.zeros((n_cells, period.days))
    for imp in imps:
        w = 1.0 if imp.kind == "outage" else degradation_weight
        for d in range((imp.start - period.t0) // DAY_S, (imp.end - 1 - period.t0) // DAY_S + 1):
            lo = max(imp.start, period.day_t0(d))
            hi = min(imp.end, period.day_t0(d) + DAY_S)
            frac[imp.cell, d] += w * (hi - lo) / DAY_S
    return np.minimum(frac, 1.0)
