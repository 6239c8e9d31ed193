"""The simulator's truth rules (docs/kpi_definitions.md) as pure functions: autonomy at every
level boundary, orders with cancelled and rejected orders, tickets, incidents grouping, ROI
baseline and payback, and the reference tables."""

from __future__ import annotations

import shutil
from datetime import date, timedelta
from pathlib import Path

import pytest

from orchestration.simulator.orders import Order
from orchestration.simulator.profiles import PROFILES
from orchestration.simulator.reference import CATEGORIES, ROI_KEYS, SEEDS_DIR, load_reference
from orchestration.simulator.tickets import Ticket
from orchestration.simulator.timefmt import DAY_S, Period
from orchestration.simulator.truth_autonomy import (
    HUMAN,
    LEVELS,
    MIXED,
    SYSTEM,
    autonomy,
    decimal_score,
    level_of,
    role_of,
)
from orchestration.simulator.truth_incidents import alarm_episodes, group_incidents
from orchestration.simulator.truth_operations import order_kpis, ticket_kpis
from orchestration.simulator.truth_roi import _lever, roi_summary

P = Period(date(2026, 1, 1), 59)
T0 = P.t0
H = 3600


# --- autonomy -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("n", "s", "role"),
    [
        (0, 0, HUMAN),  # no tasks: Human
        (5, 9, SYSTEM),  # mean 1.8 exactly
        (5, 8, MIXED),  # mean 1.6
        (10, 17, MIXED),  # mean 1.7 (just under 1.8)
        (10, 18, SYSTEM),
        (5, 1, HUMAN),  # mean 0.2 exactly
        (5, 2, MIXED),  # mean 0.4
        (10, 2, HUMAN),
        (10, 3, MIXED),  # mean 0.3 (just over 0.2)
        (3, 0, HUMAN),
        (3, 6, SYSTEM),
        (7, 7, MIXED),  # mean 1.0
    ],
)
def test_role_boundaries(n: int, s: int, role: str) -> None:
    assert role_of(n, s) == role


def _roles(*values: str) -> dict[str, str]:
    return dict(zip(CATEGORIES, values, strict=True))


@pytest.mark.parametrize("level", range(6))
def test_every_table_row_gives_its_level(level: int) -> None:
    assert level_of(_roles(*LEVELS[level])) == level


@pytest.mark.parametrize("level", range(1, 6))
def test_one_role_short_of_a_row_drops_a_level(level: int) -> None:
    """Lower each required role of the row by one step in turn: the level falls below it."""
    lower = {SYSTEM: MIXED, MIXED: HUMAN}
    row = list(LEVELS[level])
    for i, r in enumerate(row):
        if r == HUMAN:
            continue
        short = row.copy()
        short[i] = lower[r]
        assert level_of(_roles(*short)) < level


@pytest.mark.parametrize(
    ("roles", "level"),
    [
        ((SYSTEM, HUMAN, SYSTEM, SYSTEM, SYSTEM), 0),  # awareness Human blocks level 1
        ((SYSTEM, SYSTEM, SYSTEM, MIXED, HUMAN), 3),
        ((SYSTEM, SYSTEM, SYSTEM, SYSTEM, HUMAN), 3),  # intent Human blocks level 4
        ((SYSTEM, MIXED, SYSTEM, SYSTEM, SYSTEM), 2),
        ((MIXED, SYSTEM, SYSTEM, SYSTEM, SYSTEM), 1),  # execution H&S caps at level 1
        ((SYSTEM, SYSTEM, HUMAN, SYSTEM, SYSTEM), 1),  # analysis Human blocks level 2
    ],
)
def test_combinations_outside_the_table_map_to_the_highest_level_fully_met(
    roles: tuple[str, ...], level: int
) -> None:
    assert level_of(_roles(*roles)) == level


def test_decimal_score_formula() -> None:
    w = {"execution": 0.15, "awareness": 0.2, "analysis": 0.2, "decision": 0.2, "intent": 0.25}
    assert decimal_score(dict.fromkeys(CATEGORIES, 2.0), w) == pytest.approx(5.0)
    assert decimal_score(dict.fromkeys(CATEGORIES, 0.0), w) == 0.0
    means = {"execution": 2.0, "awareness": 1.0, "analysis": 1.0, "decision": 0.5, "intent": 0.0}
    want = 2.5 * (0.15 * 2 + 0.2 * 1 + 0.2 * 1 + 0.2 * 0.5) / 1.0
    assert decimal_score(means, w) == pytest.approx(want)
    # a category missing from the weights weighs 0; all-zero weights give no score
    assert decimal_score(means, {"execution": 1.0}) == pytest.approx(5.0)
    assert decimal_score(means, {}) is None


def test_autonomy_per_workflow_month_and_missing_category_is_human() -> None:
    feb = T0 + 40 * DAY_S
    ev = [
        ("c1", "order_fulfilment", "a", T0 + H, "OO", "system", "execution"),
        ("c1", "order_fulfilment", "b", T0 + H, "OO", "system", "awareness"),
        ("c2", "order_fulfilment", "a", feb, "p", "human", "execution"),
        ("c3", "fault_management", "a", feb, "p", "robot", "execution"),  # unknown type
        ("c4", "other_flow", "a", feb, "p", "system", "execution"),  # unknown workflow
    ]
    out = autonomy(ev, P, {c: 1.0 for c in CATEGORIES})
    assert set(out) == {"order_fulfilment"}
    jan = out["order_fulfilment"]["2026-01"]
    assert jan["roles"] == _roles(SYSTEM, SYSTEM, HUMAN, HUMAN, HUMAN)
    assert jan["level"] == 1  # level 2 would need analysis Human & System
    assert jan["score"] == pytest.approx(2.5 * 4 / 5)
    assert out["order_fulfilment"]["2026-02"]["roles"]["execution"] == HUMAN


# --- orders and tickets ---------------------------------------------------------------------


def _order(i: int, created: int, states: list[tuple[str, int]], requested: int) -> Order:
    o = Order(f"PO-{i}", 0, 0, "add", ("PO", "x"), "PRD-1", created, requested, False)
    o.states = states
    return o


def test_on_time_ignores_cancelled_rejected_and_failed_orders() -> None:
    c = T0 + DAY_S
    orders = [
        _order(1, c, [("acknowledged", c), ("completed", c + 10 * H)], c + 10 * H),  # on time (=)
        _order(2, c, [("acknowledged", c), ("completed", c + 30 * H)], c + 20 * H),  # late
        _order(3, c, [("acknowledged", c), ("cancelled", c + H)], c),
        _order(4, c, [("acknowledged", c), ("rejected", c + H)], c),
        _order(5, c, [("acknowledged", c), ("held", c + H), ("failed", c + 2 * H)], c + 5 * H),
        _order(6, c, [("acknowledged", c), ("held", c + H), ("completed", c + 4 * H)], c + 5 * H),
    ]
    k = order_kpis(orders, P)
    assert k["orders_completed"] == 3
    assert k["on_time_delivery_pct"] == round(100 * 2 / 3, 4)
    assert k["order_fallout_pct"] == round(100 * 2 / 6, 4)  # held or failed, over all created
    assert k["order_cycle_time_median_hours"] == 10.0  # median of 4, 10, 30 h
    assert k["order_throughput_per_day"] == round(3 / 59, 4)


def test_nothing_completed_gives_null_rates_and_zero_counts() -> None:
    c = T0 + DAY_S
    k = order_kpis([_order(1, c, [("acknowledged", c), ("cancelled", c + H)], c)], P)
    assert k["orders_completed"] == 0 and k["order_throughput_per_day"] == 0.0
    assert k["on_time_delivery_pct"] is None and k["order_cycle_time_median_hours"] is None
    assert k["order_fallout_pct"] == 0.0
    assert order_kpis([], P)["order_fallout_pct"] is None


def test_completion_outside_the_period_does_not_count() -> None:
    c = P.t1 - DAY_S
    late = _order(1, c, [("acknowledged", c), ("completed", P.t1)], P.t1)
    assert order_kpis([late], P)["orders_completed"] == 0


def test_tickets_resolved_and_median_mttr() -> None:
    def tk(created: int, statuses: list[tuple[str, int]]) -> Ticket:
        t = Ticket("complaint", created, "Minor", "Low", None, 1, False)
        t.statuses = statuses
        return t

    c = T0 + DAY_S
    tickets = [
        tk(c, [("acknowledged", c), ("resolved", c + 2 * H)]),
        tk(c, [("acknowledged", c), ("resolved", c + 4 * H), ("closed", c + 30 * H)]),
        tk(c, [("acknowledged", c), ("inProgress", c + H)]),
        tk(c, [("acknowledged", c), ("resolved", c + 5 * H)]),
    ]
    k = ticket_kpis(tickets, P)
    assert k["tickets_resolved"] == 3 and k["mttr_median_hours"] == 4.0
    assert ticket_kpis([], P) == {"tickets_resolved": 0, "mttr_median_hours": None}


# --- incidents ------------------------------------------------------------------------------


def test_alarm_episodes_repeated_raise_and_same_second_clear() -> None:
    from orchestration.simulator.faults import Fault

    t = T0 + DAY_S
    faults = [
        Fault(1, "bg_temp", t, t + 4 * H, t, False),  # raise t, clear t+4h
        Fault(1, "bg_temp", t + H, t + 2 * H, t + H, False),  # repeat raise, earlier clear
        Fault(2, "bg_link", t, t + H, t, False),
        Fault(2, "bg_link", t + H, P.t1 + DAY_S, t + H, False),  # raised at the clear's second
    ]
    eps = sorted(alarm_episodes(faults, P))
    # cell 1: one episode ending at the first clear (t+2h); the later clear does nothing
    assert (1, t, t + 2 * H) in eps and len([e for e in eps if e[0] == 1]) == 1
    # cell 2: the clear at t+1h comes first, the raise at t+1h opens a new, open episode
    assert (2, t, t + H) in eps and (2, t + H, None) in eps


def test_grouping_joins_gaps_of_up_to_one_period() -> None:
    t = T0 + DAY_S
    ivs = [(1, t, t + 900), (1, t + 1800, t + 2700), (1, t + 2700 + 901, t + 4500)]
    assert group_incidents(ivs) == [(1, t, t + 2700), (1, t + 3601, t + 4500)]
    assert group_incidents([(1, t, None), (1, t + 10 * H, t + 11 * H)]) == [(1, t, None)]
    assert group_incidents([(1, t, t + 900), (2, t, t + 900)]) == [
        (1, t, t + 900),
        (2, t, t + 900),
    ]


# --- ROI ------------------------------------------------------------------------------------


def test_lever_is_baseline_rate_times_volume_minus_actual() -> None:
    go = T0 + 10 * DAY_S
    cases = [(T0 + H, 1.0), (T0 + 2 * H, 0.0), (T0 + 3 * H, 1.0), (T0 + 4 * H, 0.0)]  # rate 0.5
    cases += [(go, 0.0), (go + H, 0.0), (go + 40 * DAY_S, 1.0)]  # Jan: 2 cases, Feb: 1 case
    assert _lever(cases, go, P) == {"2026-01": 1.0, "2026-02": -0.5}
    assert _lever([(go, 1.0)], go, P) == {}  # no baseline cases: no benefit


def test_payback_is_the_first_month_cumulative_benefit_reaches_cost() -> None:
    roi = {"program_cost_per_month": 100.0, "program_cost_one_off": 50.0}
    got = roi_summary({"2026-01": 100.0, "2026-02": 150.0}, roi, P)
    assert got == {"benefit": 250.0, "cost": 250.0, "roi_pct": 0.0, "payback_month": "2026-02"}
    got = roi_summary({"2026-01": 10.0}, roi, P)
    assert got["payback_month"] is None and got["roi_pct"] == round(100 * (10 - 250) / 250, 4)
    free = roi_summary({}, {"program_cost_per_month": 0.0, "program_cost_one_off": 0.0}, P)
    assert free["roi_pct"] is None and free["payback_month"] == "2026-01"


# --- reference tables -----------------------------------------------------------------------


def test_reference_tables_are_complete_and_go_lives_fall_in_every_profile() -> None:
    ref = load_reference()
    assert set(ref.weights) == set(CATEGORIES)
    assert set(ROI_KEYS) <= set(ref.roi)
    for prof in PROFILES.values():
        assert prof.start == date(2026, 1, 1)
        for wf, d in ref.go_live.items():
            assert prof.start < d <= prof.start + timedelta(days=29), (prof.name, wf)


def test_an_edited_reference_table_is_read(tmp_path: Path) -> None:
    for f in SEEDS_DIR.glob("*.csv"):
        shutil.copy(f, tmp_path / f.name)
    path = tmp_path / "automation_go_live.csv"
    path.write_text(path.read_text().replace("2026-01-15", "2026-01-20"))
    assert load_reference(tmp_path).go_live["order_fulfilment"] == date(2026, 1, 20)
    (tmp_path / "roi_assumptions.csv").write_text("assumption,value,unit,description\n")
    with pytest.raises(ValueError, match="roi_assumptions.csv lacks"):
        load_reference(tmp_path)
