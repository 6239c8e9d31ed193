"""The time split of the predictive models: which days train, which days are scored.

The simulator and the platform follow the same documented rule (docs/predictions.md), each
written in its own code so the truth never calls the platform: the scoring window is the last
third of the period in whole weeks (at least one week); churn is assessed at the scoring start
and, for training, at the same distance back again while at least a week of history remains.
"""

from __future__ import annotations


def scoring_days(days: int) -> int:
    """Length of the scoring window in days: a third of the period, whole weeks, >= 7."""
    return 7 * max(1, round(days / 21))


def scoring_start_day(days: int) -> int:
    """Day offset (from the period start) of the first scored day."""
    return days - scoring_days(days)


def churn_assessment_days(days: int) -> list[int]:
    """Day offsets at which churn risk is assessed, ascending; the last is the scoring start.

    Each assessment predicts churn within the `scoring_days` that follow it.
    """
    w = scoring_days(days)
    start = scoring_start_day(days)
    return sorted(a for a in range(start, -1, -w) if a >= 7)
