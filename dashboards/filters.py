"""The global filters every page honours: period, region, technology and customer segment.

They live in the sidebar, rendered once by `dashboards/app.py` before the page runs, and each is
bound to the URL (`?period=2026-01-01&period=2026-01-31&region=North&technology=NR&segment=…`),
so a filtered view of any page is shared by copying its address. Pages read the chosen values
with `current()`.

What each filter means, on every page:
- period: an inclusive range of UTC days of the reporting period (an event counts on its day);
- region: the region of the cell, or of the customer for customer facts (orders, surveys);
- technology: the radio technology of the cell, or of the customer's home cell;
- segment: the customer's segment (cells are not filtered by segment).
An empty multi-select means "all".
"""

from __future__ import annotations

from datetime import date
from typing import Any

import streamlit as st

from dashboards.queries import snapshot
from dashboards.queries.global_filters import GlobalFilters

PERIOD_KEY = "period"
REGION_KEY = "region"
TECHNOLOGY_KEY = "technology"
SEGMENT_KEY = "segment"
_STATE_KEY = "_itot_global_filters"


def date_range(chosen: Any, first: date, last: date) -> tuple[date, date]:
    """The (start, end) of a range widget's value, clamped to [first, last]; while only a start
    is picked, that one day."""
    values = [d for d in (chosen if isinstance(chosen, list | tuple) else [chosen]) if d]
    if not values:
        return first, last
    start = min(max(values[0], first), last)
    end = max(min(values[-1], last), first)
    return start, max(start, end)


def sidebar() -> GlobalFilters | None:
    """Render the global filters in the sidebar and remember the choice for `current()`.

    Returns None (and renders nothing) when the snapshot has no reporting period yet; the page
    then explains what to build.
    """
    bounds = snapshot.period_bounds()
    if bounds is None:
        st.session_state.pop(_STATE_KEY, None)
        return None
    first, last = bounds
    options = snapshot.filter_options()
    with st.sidebar:
        st.header("Filters")
        chosen = st.date_input(
            "Period (UTC days)",
            value=(first, last),
            min_value=first,
            max_value=last,
            key=PERIOD_KEY,
            bind="query-params",
            format="YYYY-MM-DD",
        )
        picked = {
            key: st.multiselect(
                label,
                options[key],
                key=key,
                bind="query-params",
                placeholder=f"All {plural}",
                select_all=False,
            )
            for key, label, plural in (
                (REGION_KEY, "Region", "regions"),
                (TECHNOLOGY_KEY, "Technology", "technologies"),
                (SEGMENT_KEY, "Customer segment", "segments"),
            )
        }
        st.caption("Filters are kept in the page address: copy it to share this view.")
    start, end = date_range(chosen, first, last)
    filters = GlobalFilters(
        start=start,
        end=end,
        regions=tuple(picked[REGION_KEY]),
        technologies=tuple(picked[TECHNOLOGY_KEY]),
        segments=tuple(picked[SEGMENT_KEY]),
    )
    st.session_state[_STATE_KEY] = filters
    return filters


def current() -> GlobalFilters:
    """The filters chosen in the sidebar for this run (the whole period when none rendered)."""
    filters = st.session_state.get(_STATE_KEY)
    if isinstance(filters, GlobalFilters):
        return filters
    bounds = snapshot.period_bounds()
    if bounds is None:
        st.info("The serving snapshot holds no reporting period yet, so there is nothing to show.")
        st.stop()
    return GlobalFilters(start=bounds[0], end=bounds[1])
