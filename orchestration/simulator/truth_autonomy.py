"""Autonomy truth (docs/kpi_definitions.md, Autonomy): task scores -> category roles -> the
3GPP TS 28.100 Table 5-1 level and the weighted decimal score, per workflow and month.

Pure functions; the simulator feeds them its own process events (never the written CSV).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime

from .automation import ProcessEvent
from .reference import CATEGORIES
from .timefmt import Period

HUMAN, MIXED, SYSTEM = "Human", "Human & System", "System"
ROLE_RANK = {HUMAN: 0, MIXED: 1, SYSTEM: 2}
TASK_SCORE = {"human": 0, "human+system": 1, "system": 2}
WORKFLOWS = ("fault_management", "order_fulfilment", "billing_dispute")

# 3GPP TS 28.100 Table 5-1: level -> required role per category (execution, awareness,
# analysis, decision, intent)
LEVELS: tuple[tuple[str, ...], ...] = (
    (HUMAN, HUMAN, HUMAN, HUMAN, HUMAN),
    (MIXED, MIXED, HUMAN, HUMAN, HUMAN),
    (SYSTEM, MIXED, MIXED, HUMAN, HUMAN),
    (SYSTEM, SYSTEM, MIXED, MIXED, HUMAN),
    (SYSTEM, SYSTEM, SYSTEM, SYSTEM, MIXED),
    (SYSTEM, SYSTEM, SYSTEM, SYSTEM, SYSTEM),
)


def role_of(n: int, score_sum: int) -> str:
    """Role of a category from its n task scores summing to score_sum (integer arithmetic:
    mean >= 1.8 is 5*s >= 9*n, mean <= 0.2 is 5*s <= n). No tasks -> Human."""
    if n == 0:
        return HUMAN
    if 5 * score_sum >= 9 * n:
        return SYSTEM
    if 5 * score_sum <= n:
        return HUMAN
    return MIXED


def level_of(roles: dict[str, str]) -> int:
    """The highest level of Table 5-1 whose every required role is met (role order Human <
    Human & System < System); level 0 is always met."""
    level = 0
    for lv, required in enumerate(LEVELS):
        if all(
            ROLE_RANK[roles[c]] >= ROLE_RANK[r] for c, r in zip(CATEGORIES, required, strict=True)
        ):
            level = lv
    return level


def decimal_score(means: dict[str, float], weights: dict[str, float]) -> float | None:
    """2.5 * sum(w_c * m_c) / sum(w_c) over the five categories (m_c in 0..2, 0 when absent)."""
    total_w = sum(weights.get(c, 0.0) for c in CATEGORIES)
    if total_w <= 0:
        return None
    return 2.5 * sum(weights.get(c, 0.0) * means.get(c, 0.0) for c in CATEGORIES) / total_w


def month_of(t: int) -> str:
    return datetime.fromtimestamp(t, tz=UTC).strftime("%Y-%m")


def autonomy(events: list[ProcessEvent], period: Period, weights: dict[str, float]) -> dict:
    """{workflow: {"YYYY-MM": {"level", "score", "roles"}}} from process events in the period."""
    n: dict[tuple[str, str, str], int] = defaultdict(int)
    s: dict[tuple[str, str, str], int] = defaultdict(int)
    months: dict[str, set[str]] = defaultdict(set)
    for _case, wf, _act, t, _res, rtype, cat in events:
        if wf not in WORKFLOWS or cat not in CATEGORIES or rtype not in TASK_SCORE:
            continue
        if not period.t0 <= t < period.t1:
            continue
        m = month_of(t)
        months[wf].add(m)
        n[(wf, m, cat)] += 1
        s[(wf, m, cat)] += TASK_SCORE[rtype]
    out: dict = {}
    for wf in WORKFLOWS:
        if not months[wf]:
            continue
        out[wf] = {}
        for m in sorted(months[wf]):
            roles = {c: role_of(n[(wf, m, c)], s[(wf, m, c)]) for c in CATEGORIES}
            means = {c: s[(wf, m, c)] / n[(wf, m, c)] if n[(wf, m, c)] else 0.0 for c in CATEGORIES}
            score = decimal_score(means, weights)
            out[wf][m] = {
                "level": level_of(roles),
                "score": round(score, 4) if score is not None else None,
                "roles": roles,
            }
    return out
