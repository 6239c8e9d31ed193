"""Axis ticks a reader can read: whole counts on round steps, never a synced overlay axis."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from dashboards import charts


@pytest.mark.parametrize(
    ("largest", "step"),
    [(None, 1), (0, 1), (3, 1), (5, 1), (6, 2), (10, 2), (11, 5), (27, 10), (27.07, 10), (240, 50)],
)
def test_count_tick_step_is_round_and_gives_few_ticks(largest, step) -> None:
    assert charts.count_tick_step(largest) == step


def test_on_time_chart_counts_axis_ticks_whole_round_numbers() -> None:
    daily = pl.DataFrame(
        {
            "date_day": [date(2026, 1, 1), date(2026, 1, 2), date(2026, 1, 3)],
            "orders_completed": [12, 27, 0],
            "on_time_pct": [91.7, 88.9, None],
        }
    )
    counts_axis = charts.on_time_trend(daily).layout.yaxis2
    assert counts_axis.tickmode == "linear"
    assert (counts_axis.tick0, counts_axis.dtick) == (0, 10)
