"""The ROI what-if recompute (dashboards/roi_model.py), against hand-computed figures."""

from __future__ import annotations

import pytest

from dashboards.roi_model import Avoided, monthly_costs, recompute

MONTHS = ["2026-01", "2026-02", "2026-03"]
ASSUMPTIONS = {
    "loaded_labour_rate_per_hour": 50.0,
    "cost_per_fallout": 100.0,
    "truck_roll_cost": 300.0,
    "program_cost_per_month": 1000.0,
    "program_cost_one_off": 2000.0,
}
AVOIDED = [
    Avoided("2026-01", "labour", 10.0),  # 500
    Avoided("2026-02", "labour", 40.0),  # 2000
    Avoided("2026-02", "fallout", 5.0),  # 500
    Avoided("2026-03", "truck_rolls", 10.0),  # 3000
    Avoided("2026-03", "fallout", -1.0),  # -100: more fallout than the counterfactual
    Avoided("2025-12", "labour", 1000.0),  # outside the period: ignored
]


def test_costs_one_off_in_first_month() -> None:
    assert monthly_costs(MONTHS, ASSUMPTIONS) == [3000.0, 1000.0, 1000.0]


def test_totals_roi_and_payback() -> None:
    result = recompute(AVOIDED, MONTHS, ASSUMPTIONS)
    assert result.benefit == 5900.0
    assert result.cost == 5000.0
    assert result.roi_pct == pytest.approx(18.0)
    # cumulative benefit 500, 3000, 5900 against cost 3000, 4000, 5000
    assert result.cumulative_benefit == [500.0, 3000.0, 5900.0]
    assert result.cumulative_cost == [3000.0, 4000.0, 5000.0]
    assert result.payback_month == "2026-03"
    assert result.benefit_by_lever == {"labour": 2500.0, "fallout": 400.0, "truck_rolls": 3000.0}


def test_cheaper_labour_pushes_payback_out() -> None:
    result = recompute(AVOIDED, MONTHS, ASSUMPTIONS | {"loaded_labour_rate_per_hour": 10.0})
    assert result.benefit == 5900.0 - 2000.0
    assert result.payback_month is None
    assert result.roi_pct == pytest.approx(100 * (3900 - 5000) / 5000)


def test_cost_per_fallout_and_program_cost_change_roi() -> None:
    base = recompute(AVOIDED, MONTHS, ASSUMPTIONS)
    dearer_fallout = recompute(AVOIDED, MONTHS, ASSUMPTIONS | {"cost_per_fallout": 200.0})
    assert dearer_fallout.benefit == base.benefit + 400.0
    cheap_program = recompute(AVOIDED, MONTHS, ASSUMPTIONS | {"program_cost_one_off": 0.0})
    assert cheap_program.cost == 3000.0
    assert cheap_program.payback_month == "2026-02"


def test_zero_cost_has_no_roi() -> None:
    free = {"loaded_labour_rate_per_hour": 50.0}
    result = recompute(AVOIDED, MONTHS, free)
    assert result.cost == 0.0 and result.roi_pct is None
    assert result.payback_month == "2026-01"
