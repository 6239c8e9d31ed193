"""The autonomy rule in Python (for --from/--to windows), against docs/kpi_definitions.md."""

from __future__ import annotations

import pytest

from orchestration.serving.autonomy import (
    CATEGORIES,
    HUMAN,
    HUMAN_SYSTEM,
    SYSTEM,
    autonomy_level,
    autonomy_score,
    category_role,
    workflow_month,
)

H, HS, S = HUMAN, HUMAN_SYSTEM, SYSTEM
WEIGHTS = {"execution": 0.15, "awareness": 0.20, "analysis": 0.20, "decision": 0.20, "intent": 0.25}


@pytest.mark.parametrize(
    ("tasks", "score_sum", "role"),
    [
        (0, 0, H),  # no tasks: human work
        (5, 9, S),  # mean 1.8 exactly
        (5, 8, HS),  # mean 1.6
        (5, 1, H),  # mean 0.2 exactly
        (5, 2, HS),  # mean 0.4
        (3, 6, S),  # all system
        (10, 0, H),  # all human
    ],
)
def test_category_role_thresholds(tasks: int, score_sum: int, role: str) -> None:
    assert category_role(tasks, score_sum) == role


@pytest.mark.parametrize(
    ("roles", "level"),
    [
        ((H, H, H, H, H), 0),
        ((HS, HS, H, H, H), 1),
        ((HS, H, H, H, H), 0),
        ((S, HS, HS, H, H), 2),
        ((S, HS, H, H, H), 1),
        ((S, S, HS, HS, H), 3),
        ((S, S, HS, H, H), 2),
        ((S, S, S, S, HS), 4),
        ((S, S, S, S, H), 3),
        ((S, S, S, S, S), 5),
        ((S, H, S, S, S), 0),
        ((S, S, S, HS, S), 3),
    ],
)
def test_autonomy_level_at_every_boundary(roles: tuple[str, ...], level: int) -> None:
    assert autonomy_level(dict(zip(CATEGORIES, roles, strict=True))) == level


def test_score_is_the_weighted_mean_on_a_zero_to_five_scale() -> None:
    tasks = {"execution": (10, 20), "awareness": (10, 10)}  # means 2 and 1; the rest 0
    assert autonomy_score(tasks, WEIGHTS) == round(2.5 * (0.15 * 2 + 0.20 * 1) / 1.0, 4)
    assert autonomy_score({c: (4, 8) for c in CATEGORIES}, WEIGHTS) == 5.0
    assert autonomy_score(tasks, {}) is None
    assert autonomy_score(tasks, {"execution": 1.0}) == 5.0  # missing weights weigh 0


def test_workflow_month_lists_all_five_roles() -> None:
    month = workflow_month({"execution": (5, 9), "awareness": (5, 5)}, WEIGHTS)
    assert month["roles"] == {
        "execution": S,
        "awareness": HS,
        "analysis": H,
        "decision": H,
        "intent": H,
    }
    assert month["level"] == 1


def test_kpi_table_flattens_roi_and_shows_autonomy_months() -> None:
    from orchestration.report import kpi_table
    from orchestration.serving.kpis import nest_roi

    values = nest_roi({"orders_completed": 3, "roi_benefit": 1.5, "roi_cost": 2.0})
    values["autonomy"] = {"order_fulfilment": {"2026-01": workflow_month({}, WEIGHTS)}}
    rows = kpi_table(values).table.columns[0]._cells
    assert rows == [
        "orders_completed",
        "roi.benefit",
        "roi.cost",
        "roi.roi_pct",
        "roi.payback_month",
        "autonomy.order_fulfilment.2026-01",
    ]
    assert "L0" in kpi_table(values).table.columns[1]._cells[-1]
