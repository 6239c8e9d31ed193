"""Subscribers: identity (PII), plan, segment, home and serving cells, experience and churn.

Grain: one customer = one billing account = one main subscription product (PRD id = customer
number). Times are epoch seconds (UTC); churn_t is -1 for customers still active at the end.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .network import CITIES, Impairment, Network
from .timefmt import DAY_S, Period

FIRST = (
    "Anna",
    "Erik",
    "Maria",
    "Lars",
    "Karin",
    "Johan",
    "Sofia",
    "Anders",
    "Emma",
    "Per",
    "Elin",
    "Nils",
    "Sara",
    "Olof",
    "Ida",
    "Jonas",
    "Lena",
    "Mikael",
    "Frida",
    "Oskar",
    "Hanna",
    "Viktor",
    "Linnea",
    "Axel",
    "Maja",
    "Gustav",
    "Ebba",
    "Hugo",
    "Alva",
    "Leo",
)
LAST = (
    "Andersson",
    "Berg",
    "Carlsson",
    "Dahl",
    "Ek",
    "Forsberg",
    "Gustafsson",
    "Holm",
    "Isaksson",
    "Johansson",
    "Karlsson",
    "Lind",
    "Magnusson",
    "Nilsson",
    "Olsson",
    "Persson",
    "Quist",
    "Rask",
    "Svensson",
    "Thorsen",
    "Ullman",
    "Vik",
    "Wall",
    "Young",
    "Zetterberg",
    "Lund",
    "Sandberg",
    "Nyberg",
    "Strand",
    "Hedlund",
)
STREETS = (
    "Storgatan",
    "Kyrkvagen",
    "Skolgatan",
    "Parkvagen",
    "Hamngatan",
    "Backvagen",
    "Ringvagen",
    "Torggatan",
    "Sjovagen",
    "Bruksgatan",
)
# plan name, monthly price excl. tax [EUR], mean daily data volume [MB]
PLANS: tuple[tuple[str, float, float], ...] = (
    ("Mobile Basic 10GB", 19.0, 250.0),
    ("Mobile Plus 50GB", 29.0, 900.0),
    ("Mobile Unlimited", 45.0, 2200.0),
    ("Business Pro", 59.0, 1200.0),
)
SEGMENTS = ("consumer", "smb", "enterprise")


@dataclass
class Customers:
    """Customer arrays, index = customer number - 1."""

    first: np.ndarray  # int index into FIRST
    last: np.ndarray  # int index into LAST
    segment: np.ndarray  # int index into SEGMENTS
    plan: np.ndarray  # int index into PLANS
    home_cell: np.ndarray  # int cell index
    second_cell: np.ndarray  # int cell index (neighbour on the same site or region)
    msisdn: np.ndarray  # int64, national number part
    street_no: np.ndarray
    street: np.ndarray  # int index into STREETS
    post_code: np.ndarray
    exposure: np.ndarray  # float32 (customers, days): share of the day on impaired cells
    churn_t: np.ndarray  # int64 epoch s, -1 = not churned
    since_t: np.ndarray | None = None  # int64 epoch s: customer since (tenure), a day start

    @property
    def n(self) -> int:
        return len(self.first)

    def active_on(self, t: int) -> np.ndarray:
        """Boolean mask: customers not yet terminated at epoch second t."""
        return (self.churn_t < 0) | (self.churn_t > t)


def build_customers(n: int, net: Network, rng: np.random.Generator) -> Customers:
    """Draw identities, plans and home/serving cells (home cell weighted by cell load)."""
    seg = rng.choice(3, size=n, p=[0.85, 0.12, 0.03])
    plan = np.where(seg == 0, rng.choice(3, size=n, p=[0.45, 0.38, 0.17]), 3)
    home = rng.choice(net.n, size=n, p=net.load / net.load.sum())
    # second serving cell: another sector of the same site (what a moving handset sees most)
    second = (home // 3) * 3 + (home % 3 + rng.integers(1, 3, n)) % 3
    msisdn = 700_000_000 + rng.permutation(n * 10)[:n].astype(np.int64) % 99_999_999
    return Customers(
        first=rng.integers(0, len(FIRST), n),
        last=rng.integers(0, len(LAST), n),
        segment=seg,
        plan=plan,
        home_cell=home,
        second_cell=second,
        msisdn=msisdn,
        street_no=rng.integers(1, 140, n),
        street=rng.integers(0, len(STREETS), n),
        post_code=rng.integers(10_000, 99_999, n),
        exposure=np.zeros((0, 0), dtype=np.float32),
        churn_t=np.full(n, -1, dtype=np.int64),
    )


def compute_exposure(cust: Customers, cell_frac: np.ndarray) -> None:
    """Per customer and day, the share of their traffic on impaired cells (75% home cell)."""
    cust.exposure = (0.75 * cell_frac[cust.home_cell] + 0.25 * cell_frac[cust.second_cell]).astype(
        np.float32
    )


def plant_churn(
    cust: Customers, period: Period, imps: list[Impairment], rng: np.random.Generator
) -> None:
    """Churn: a small base hazard for everybody, plus an uplift after a bad experience.

    Customers exposed to an impairment churn with a probability rising with the exposure,
    some days after the first bad day (they wait for the next bill or a competitor's offer).
    """
    n = cust.n
    base_p = 1 - (1 - 0.0004) ** period.days  # ~1.2 % a month
    t_base = period.t0 + rng.integers(DAY_S, period.days * DAY_S - 1, n)
    base = rng.random(n) < base_p
    total = cust.exposure.sum(axis=1)
    p_extra = np.where(total > 0, np.minimum(0.35, 0.04 + 0.4 * total), 0.0)
    extra = rng.random(n) < p_extra
    first_bad = np.where(total > 0, np.argmax(cust.exposure > 0, axis=1), 0)
    t_extra = period.t0 + (first_bad + rng.integers(1, 15, n)) * DAY_S + rng.integers(0, DAY_S, n)
    churn = np.full(n, -1, dtype=np.int64)
    churn[base] = t_base[base]
    late = extra & (t_extra < period.t1) & ((churn < 0) | (t_extra < churn))
    churn[late] = t_extra[late]
    cust.churn_t = churn


def names(cust: Customers) -> np.ndarray:
    """Full names (str array)."""
    f = np.array(FIRST)[cust.first]
    la = np.array(LAST)[cust.last]
    return np.char.add(np.char.add(f, " "), la)


def city_of(cust: Customers, net: Network) -> np.ndarray:
    return np.array([CITIES[r] for r in net.region])[cust.home_cell]
