"""The autonomy rule of docs/kpi_definitions.md, for periods the marts do not pre-compute.

The dbt macros in dbt_project/macros/autonomy.sql apply the same rule to the monthly marts; a
test checks that both give the same levels for the whole period.
"""

from __future__ import annotations

from collections.abc import Mapping

CATEGORIES = ("execution", "awareness", "analysis", "decision", "intent")
HUMAN, HUMAN_SYSTEM, SYSTEM = "Human", "Human & System", "System"
_RANK = {HUMAN: 0, HUMAN_SYSTEM: 1, SYSTEM: 2}
# 3GPP TS 28.100 Table 5-1: the minimum role of each category (in CATEGORIES order) per level.
LEVEL_REQUIREMENTS: tuple[tuple[int, tuple[str, ...]], ...] = (
    (1, (HUMAN_SYSTEM, HUMAN_SYSTEM, HUMAN, HUMAN, HUMAN)),
    (2, (SYSTEM, HUMAN_SYSTEM, HUMAN_SYSTEM, HUMAN, HUMAN)),
    (3, (SYSTEM, SYSTEM, HUMAN_SYSTEM, HUMAN_SYSTEM, HUMAN)),
    (4, (SYSTEM, SYSTEM, SYSTEM, SYSTEM, HUMAN_SYSTEM)),
    (5, (SYSTEM, SYSTEM, SYSTEM, SYSTEM, SYSTEM)),
)


def category_role(tasks: int, score_sum: int) -> str:
    """Role of a task category from its scored tasks (human 0, human+system 1, system 2).

    Decided in integers: System when 5s >= 9n (mean >= 1.8), Human when 5s <= n (mean <= 0.2),
    otherwise Human & System; a category without tasks is Human.
    """
    if tasks <= 0:
        return HUMAN
    if 5 * score_sum >= 9 * tasks:
        return SYSTEM
    if 5 * score_sum <= tasks:
        return HUMAN
    return HUMAN_SYSTEM


def autonomy_level(roles: Mapping[str, str]) -> int:
    """The highest level of Table 5-1 whose every required role is met (missing roles: Human)."""
    level = 0
    for candidate, required in LEVEL_REQUIREMENTS:
        met = all(
            _RANK[roles.get(category, HUMAN)] >= _RANK[minimum]
            for category, minimum in zip(CATEGORIES, required, strict=True)
        )
        if met:
            level = candidate
    return level


def autonomy_score(
    tasks: Mapping[str, tuple[int, int]], weights: Mapping[str, float]
) -> float | None:
    """2.5 * sum(w * mean task score) / sum(w) over the five categories, rounded to 4 decimals.

    `tasks` maps a category to (scored tasks, score sum); a category without tasks has mean 0, a
    category without a weight weighs 0; None when the weights sum to 0.
    """
    total_weight = sum(weights.get(category, 0.0) for category in CATEGORIES)
    if total_weight == 0:
        return None
    weighted = 0.0
    for category in CATEGORIES:
        n, s = tasks.get(category, (0, 0))
        weighted += weights.get(category, 0.0) * (s / n if n else 0.0)
    return round(2.5 * weighted / total_weight, 4)


def workflow_month(tasks: Mapping[str, tuple[int, int]], weights: Mapping[str, float]) -> dict:
    """{"level", "score", "roles"} of a workflow-month from (tasks, score sum) per category."""
    roles = {category: category_role(*tasks.get(category, (0, 0))) for category in CATEGORIES}
    return {
        "level": autonomy_level(roles),
        "score": autonomy_score(tasks, weights),
        "roles": roles,
    }
