"""Freshness per source: lags against the newest record and newest file of all sources."""

from __future__ import annotations

from datetime import UTC, date, datetime

from orchestration.quality.dataset_checks import freshness_results
from orchestration.quality.freshness import (
    DEFAULT_MAX_LAG_HOURS,
    MAX_LAG_HOURS,
    assess_freshness,
    reference_times,
)

END = datetime(2026, 3, 1, tzinfo=UTC)


def test_a_source_that_stopped_delivering_is_stale() -> None:
    events = {
        "pm_counters": END,
        "alarm_events": datetime(2026, 2, 24, tzinfo=UTC),  # five days before PM
        "usage": date(2026, 2, 28),  # a date counts from its midnight
    }
    arrivals = {"pm_counters": END, "alarm_events": END, "usage": END}
    result = {f.dataset: f for f in assess_freshness(events, arrivals, list(events))}
    assert result["pm_counters"].event_lag_hours == 0 and not result["pm_counters"].stale
    assert result["alarm_events"].event_lag_hours == 120 and result["alarm_events"].stale
    assert result["usage"].event_lag_hours == 24 and not result["usage"].stale


def test_a_late_file_arrival_is_stale_even_with_recent_records() -> None:
    arrivals = {"pm_counters": END, "usage": datetime(2026, 2, 20, tzinfo=UTC)}
    (usage,) = [
        f for f in assess_freshness({"pm_counters": END, "usage": END}, arrivals, ["usage"])
    ]
    assert usage.event_lag_hours == 0 and usage.arrival_lag_hours == 216 and usage.stale


def test_unknown_times_and_unlisted_datasets() -> None:
    (snapshot,) = assess_freshness({"pm_counters": END}, {}, ["inventory_cells"])
    assert snapshot.event_lag_hours is None and snapshot.arrival_lag_hours is None
    assert not snapshot.stale
    (other,) = assess_freshness({}, {}, ["something_new"])
    assert other.max_lag_hours == DEFAULT_MAX_LAG_HOURS
    assert MAX_LAG_HOURS["alarm_events"] < MAX_LAG_HOURS["customer_bills"]


def test_reference_time_is_the_newest_record_of_the_other_sources() -> None:
    far_future = datetime(2099, 1, 1, tzinfo=UTC)
    refs = reference_times({"pm_counters": END, "product_orders": far_future, "usage": None})
    assert refs["product_orders"] == END  # its own bad row cannot move its limit
    assert refs["pm_counters"] == far_future
    assert refs["usage"] == far_future


def test_freshness_records_are_warnings() -> None:
    (alarms,) = assess_freshness(
        {"pm_counters": END, "alarm_events": datetime(2026, 2, 20, tzinfo=UTC)},
        {},
        ["alarm_events"],
    )
    records = freshness_results(alarms, checked_at=END)
    assert [r.expectation_type for r in records] == ["event_lag_hours", "arrival_lag_hours"]
    assert {r.severity for r in records} == {"warning"}
    assert [r.success for r in records] == [False, True]
    assert '"lag_hours":216.0' in (records[0].observed or "")
