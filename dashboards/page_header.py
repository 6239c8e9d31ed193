"""What every page starts with: its title, the snapshot check and the global filters' scope."""

from __future__ import annotations

import streamlit as st

from dashboards import data_source, filters
from dashboards.guards import require_snapshot


def start_page(
    title: str, tables: frozenset[str], intro: str | None = None
) -> filters.GlobalFilters:
    """Title, then stop with a build hint unless the snapshot holds `tables`; return the filters."""
    st.title(title)
    if intro:
        st.caption(intro)
    require_snapshot(tables)
    chosen = filters.current()
    published = data_source.snapshot_time(data_source.serving_path())
    stamp = f"Snapshot published {published:%Y-%m-%d %H:%M} UTC · " if published else ""
    st.caption(f"{stamp}Showing {chosen.describe()}.")
    return chosen
