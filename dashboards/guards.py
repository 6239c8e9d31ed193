"""What every page shows instead of a traceback when the serving snapshot is not usable.

- no snapshot, or one without the tables a page needs: a message telling the user how to build it;
- a snapshot being swapped: the query runner retries it (`dashboards/queries/runner.py`).
"""

from __future__ import annotations

import streamlit as st

from dashboards import data_source
from dashboards.queries import snapshot

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
    present = snapshot.table_names()
    missing = sorted(tables - present)
    if missing:
        what = "has no tables" if not present else f"lacks {', '.join(missing)}"
        st.info(f"**No data yet.** The serving snapshot `{path}` {what}.\n\n{BUILD_HINT}")
        st.stop()


def snapshot_has(tables: frozenset[str]) -> bool:
    """True when the snapshot exists and holds every table in `tables` (never stops the page)."""
    if not data_source.serving_path().is_file():
        return False
    return tables <= snapshot.table_names()
