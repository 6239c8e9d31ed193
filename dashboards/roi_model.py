"""The ROI what-if: benefit, cost, ROI and payback recomputed from avoided quantities and money.

Pure functions (no Streamlit, no SQL), following docs/kpi_definitions.md ("ROI of automation"):
for every lever and month, benefit = avoided units x the lever's money assumption; costs are
`program_cost_per_month` for every month plus `program_cost_one_off` in the first month;
ROI = 100 x (benefit - cost) / cost; payback = the first month whose cumulative benefit reaches
the cumulative cost. The ROI page feeds it the marts' avoided units per lever and month and the
assumptions as edited in its what-if panel.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

# The money assumption (roi_assumptions.csv) each lever's avoided units are priced with.
LEVER_MONEY: dict[str, str] = {
    "labour": "loaded_labour_rate_per_hour",
    "fallout": "cost_per_fallout",
    "truck_rolls": "truck_roll_cost",
    "churn": "customer_value",
    "leakage": "leakage_recovery_share",
}
MONTHLY_COST = "program_cost_per_month"
ONE_OFF_COST = "program_cost_one_off"


@dataclass(frozen=True)
class Avoided:
    """Units a lever avoided in one month (hours, fallouts, truck rolls, churners, currency)."""

    month: str  # "YYYY-MM"
    lever: str
    units: float


@dataclass(frozen=True)
class RoiResult:
    """What the ROI page shows: totals, per-lever benefit, and the monthly cumulative curves."""

    benefit: float
    cost: float
    roi_pct: float | None
    payback_month: str | None
    benefit_by_lever: dict[str, float]
    months: list[str]
    cumulative_benefit: list[float]
    cumulative_cost: list[float]


def monthly_costs(months: Sequence[str], assumptions: Mapping[str, float]) -> list[float]:
    """The program's cost per month: the monthly cost, plus the one-off in the first month."""
    per_month = float(assumptions.get(MONTHLY_COST, 0.0))
    one_off = float(assumptions.get(ONE_OFF_COST, 0.0))
    return [per_month + (one_off if i == 0 else 0.0) for i in range(len(months))]


def recompute(
    avoided: Iterable[Avoided], months: Sequence[str], assumptions: Mapping[str, float]
) -> RoiResult:
    """Benefit, cost, ROI % and payback month over `months` (calendar order) for `assumptions`.

    Avoided units of months outside `months` are ignored; a lever without a money assumption
    is worth 0. Totals are rounded to 4 decimals like `itot kpis`.
    """
    index = {month: i for i, month in enumerate(months)}
    benefit_per_month = [0.0] * len(months)
    by_lever: dict[str, float] = {}
    for row in avoided:
        if row.month not in index:
            continue
        value = row.units * float(assumptions.get(LEVER_MONEY.get(row.lever, ""), 0.0))
        benefit_per_month[index[row.month]] += value
        by_lever[row.lever] = by_lever.get(row.lever, 0.0) + value
    costs = monthly_costs(months, assumptions)
    cumulative_benefit, cumulative_cost, payback = [], [], None
    running_benefit = running_cost = 0.0
    for month, benefit, cost in zip(months, benefit_per_month, costs, strict=True):
        running_benefit += benefit
        running_cost += cost
        cumulative_benefit.append(running_benefit)
        cumulative_cost.append(running_cost)
        if payback is None and running_benefit >= running_cost:
            payback = month
    benefit, cost = round(running_benefit, 4), round(running_cost, 4)
    roi = round(100.0 * (running_benefit - running_cost) / running_cost, 4) if cost else None
    return RoiResult(
        benefit=benefit,
        cost=cost,
        roi_pct=roi,
        payback_month=payback,
        benefit_by_lever={k: round(v, 4) for k, v in by_lever.items()},
        months=list(months),
        cumulative_benefit=cumulative_benefit,
        cumulative_cost=cumulative_cost,
    )
