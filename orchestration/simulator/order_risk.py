"""Predictable order fallout: each order's fallout probability from what is known when it is
created (the planted truth of the fallout-risk model).

logit P(fallout) = logit(P_FALLOUT[automated]) + the sum of the driver effects below - CENTRE,
where CENTRE (the drivers' mean effect) keeps the average rate near P_FALLOUT, so the
automation program's planted effect stays what it was. The probability applies to an order
that was neither rejected nor cancelled.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

CHANNEL_EFFECT = (-0.4, 0.0, 0.3, 0.9)  # Online, Retail store, Call centre, Partner
ACTION_EFFECT = {"add": 0.4, "modify": -0.2, "delete": -0.5}
TV_EFFECT = 0.5  # the Mobile TV add-on (provisioned on a separate platform)
NR_EFFECT = 0.5  # the customer's home cell is NR (5G): newer, less mature provisioning
TECHNICIAN_EFFECT = 0.8  # install type "technician" (a visit to schedule)
ADDRESS_EFFECT = {"validated": 0.0, "unverified": 1.0, "missing": 1.6}
LOAD_EFFECT = 1.0  # per unit of log relative load of the home cell (its busy-ness)
SEGMENT_EFFECT = (0.0, 0.2, 0.5)  # consumer, smb, enterprise
# the drivers' mean effect per automation state (calibrated on the small profile: the mean
# probability stays at P_FALLOUT, 0.196 / 0.060)
CENTRE = {False: 1.15, True: 1.3}
P_TECHNICIAN = {"add": 0.25, "modify": 0.10, "delete": 0.0}
P_ADDRESS = (("validated", 0.91), ("unverified", 0.06), ("missing", 0.03))


@dataclass(frozen=True)
class OrderDrivers:
    """What is known about an order at creation, beyond its channel, action and product."""

    install_type: str  # "self" | "technician"
    address_status: str  # "validated" | "unverified" | "missing"
    tech: str  # "LTE" | "NR": technology of the customer's home cell
    load: float  # relative traffic weight of the home cell (mean 1 over cells)
    segment: int  # index into customers.SEGMENTS


def draw_drivers(
    action: str, tech: str, load: float, segment: int, rng: np.random.Generator
) -> OrderDrivers:
    """Install type and address status of a new order (its own random stream)."""
    install = "technician" if rng.random() < P_TECHNICIAN[action] else "self"
    names = [a for a, _ in P_ADDRESS]
    address = names[int(rng.choice(len(names), p=[p for _, p in P_ADDRESS]))]
    return OrderDrivers(install, address, tech, load, segment)


def fallout_probability(
    base_p: float, automated: bool, channel: int, action: str, offering_id: str, d: OrderDrivers
) -> float:
    """P(fallout | not rejected, not cancelled) of one order with base rate `base_p` (the
    mean rate of orders handled with / without automation, `automated`)."""
    z = np.log(base_p / (1.0 - base_p)) - CENTRE[automated]
    z += CHANNEL_EFFECT[channel] + ACTION_EFFECT[action]
    z += TV_EFFECT * (offering_id == "PO-ADD-TV") + NR_EFFECT * (d.tech == "NR")
    z += TECHNICIAN_EFFECT * (d.install_type == "technician") + ADDRESS_EFFECT[d.address_status]
    z += LOAD_EFFECT * float(np.log(d.load)) + SEGMENT_EFFECT[d.segment]
    return float(1.0 / (1.0 + np.exp(-z)))
