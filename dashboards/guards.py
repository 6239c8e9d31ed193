"""What every page shows instead of a traceback when the serving snapshot is not usable.

- no snapshot, or one without the tables a page needs: a message telling the user how to build it;
- a snapshot being swapped (DuckDB cannot open or lock the file for a moment): a "data
  refreshing" notice, one retry after a short pause, then a polite message.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

import duckdb
import streamlit as st

from dashboards import data_source, queries

T = TypeVar("T")

RETRY_DELAY_S = 1.0
BUILD_HINT = (
    "Build it with `make demo` (demo operator, then serves everything) or "
    "`uv run itot build` (ingest, model and publish your landing zone), then reload this page."
)


def require_snapshot(tables: frozenset[str]) -> None:
    """Stop the page with a helpful message unless the snapshot has every table in `tables`."""
    path = data_source.serving_path()
    if not path.is_file():
        st.info(f"**No data yet.** There is no serving snapshot at `{path}`.\n\n{BUILD_HINT}")
        st.stop()
    present = with_retry(queries.table_names)
    missing = sorted(tables - present)
    if missing:
        what = "has no tables" if not present else f"lacks {', '.join(missing)}"
        st.info(f"**No data yet.** The serving snapshot `{path}` {what}.\n\n{BUILD_HINT}")
        st.stop()


def snapshot_has(tables: frozenset[str]) -> bool:
    """True when the snapshot exists and holds every table in `tables` (never stops the page)."""
    if not data_source.serving_path().is_file():
        return False
    return tables <= with_retry(queries.table_names)


def with_retry(load: Callable[[], T]) -> T:
    """Call `load`; if the snapshot is being swapped, say so, wait, and try once more."""
    try:
        return load()
    except duckdb.IOException:
        notice = st.empty()
        notice.info("Data refreshing: a new snapshot is being published. Retrying…", icon="🔄")
        time.sleep(RETRY_DELAY_S)
    try:
        result = load()
    except duckdb.IOException:
        notice.warning(
            "Data refreshing: the snapshot is being replaced. Reload the page in a few seconds.",
            icon="🔄",
        )
        st.stop()
    notice.empty()
    return result
