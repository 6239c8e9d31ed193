"""Simulation profiles: how big the synthetic operator is and which effects it plants.

Every profile starts on 2026-01-01, so the go-live dates of the automation program (the editable
reference table dbt_project/seeds/automation_go_live.csv) fall inside every profile's period.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Profile:
    """Size and shape of one synthetic operator.

    Rates are per day of the period; fractions are in [0, 1]; offsets are days from the start.
    """

    name: str
    start: date  # first UTC day of the period (always the 1st of a month)
    days: int  # period length in days
    n_sites: int  # three cells per site
    n_subscribers: int
    orders_per_day: float  # mean new product orders per day
    disputes_per_day: float  # mean billing disputes per day
    surveys_per_day: float  # mean random (relationship) survey responses per day
    background_alarms_per_cell_day: float  # non-planted MAJOR/MINOR alarms
    n_outages: int
    n_degradations: int
    n_unbilled: int  # products active with usage but never billed
    usage_fraction: float  # share of subscribers with a usage record on a random day
    # gradual degradations: this many in the training period and as many in the scoring window
    n_gradual: int = 0
    bill_shocks_per_day: float = 0.0  # mean interim bills well above the usual one, per day
    batch_cells: int = 1000  # at most this many cells per OSS batch file and day
    # PM files written uncompressed: (day offset, OSS batch); all others are gzipped
    plain_pm: tuple[tuple[int, str], ...] = ((0, "ENM-01"),)


PROFILES: dict[str, Profile] = {
    "demo": Profile(
        name="demo",
        n_gradual=6,
        bill_shocks_per_day=1.0,
        start=date(2026, 1, 1),
        days=59,
        n_sites=8,
        n_subscribers=1000,
        orders_per_day=15.0,
        disputes_per_day=3.5,
        surveys_per_day=6.0,
        background_alarms_per_cell_day=0.12,
        n_outages=3,
        n_degradations=4,
        n_unbilled=10,
        usage_fraction=0.01,
        plain_pm=((0, "U2020-01"),),
    ),
    "small": Profile(
        name="small",
        n_gradual=16,
        bill_shocks_per_day=12.0,
        start=date(2026, 1, 1),
        days=31,
        n_sites=68,
        n_subscribers=20_000,
        orders_per_day=150.0,
        disputes_per_day=20.0,
        surveys_per_day=60.0,
        background_alarms_per_cell_day=0.05,
        n_outages=8,
        n_degradations=12,
        n_unbilled=80,
        usage_fraction=0.10,
        plain_pm=((0, "ENM-01"), (0, "NetAct-01"), (1, "U2020-01")),
    ),
    "large": Profile(
        name="large",
        n_gradual=250,
        bill_shocks_per_day=500.0,
        start=date(2026, 1, 1),
        days=31,
        n_sites=3334,
        n_subscribers=1_000_000,
        orders_per_day=2500.0,
        disputes_per_day=300.0,
        surveys_per_day=1500.0,
        background_alarms_per_cell_day=0.03,
        n_outages=120,
        n_degradations=250,
        n_unbilled=2000,
        usage_fraction=0.05,
        plain_pm=((0, "ENM-01"), (0, "NetAct-01"), (0, "U2020-01")),
    ),
}

WORKFLOWS: tuple[str, ...] = ("order_fulfilment", "fault_management", "billing_dispute")


def get_profile(name: str) -> Profile:
    """Return the named profile or raise ValueError listing the valid names."""
    if name not in PROFILES:
        choices = ", ".join(PROFILES)
        raise ValueError(f"unknown profile '{name}' (choose from {choices})")
    return PROFILES[name]
