"""The one cached runner every dashboard query goes through, and its retry.

Rules: user input only ever reaches SQL as a bound parameter (`$name`), never by string
formatting; the queries of one script run share one read-only DuckDB connection, closed when
the run ends (`one_connection_per_run`), so the publisher can swap the snapshot file at any
moment (no connection is cached or held open between reruns). A snapshot being swapped (DuckDB
cannot open or lock the file for a moment) shows a "data refreshing" notice and is retried once
after a short pause; if it still fails, the page stops with a polite message, never a traceback.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import duckdb
import polars as pl
import streamlit as st

from dashboards import data_source

CACHE_TTL_S = 60
RETRY_DELAY_S = 1.0

# Opening a DuckDB file costs ~15–20 ms (catalog load), far more than most of these queries, and
# a page issues 6–25 of them. Inside `one_connection_per_run()` (app.py wraps each script run in
# it) the cache misses of that run share one read-only connection, closed when the run ends, so
# no connection outlives a run. A snapshot swapped mid-run is a new version: the next miss opens
# the new file (the old connection still reads the old, unlinked file consistently).
_run_state = threading.local()


@contextmanager
def one_connection_per_run() -> Iterator[None]:
    """Let the queries of this script run (this thread) share one connection; close it after."""
    _run_state.active = True
    try:
        yield
    finally:
        _run_state.active = False
        _close_run_connection()


def _close_run_connection() -> None:
    held = getattr(_run_state, "connection", None)
    _run_state.connection = None
    if held is not None:
        held[1].close()


def _connection(path: str, version: int) -> tuple[duckdb.DuckDBPyConnection, bool]:
    """A read-only connection to `path` and whether the caller must close it."""
    if not getattr(_run_state, "active", False):
        return duckdb.connect(path, read_only=True), True
    held = getattr(_run_state, "connection", None)
    if held is None or held[0] != (path, version):
        _close_run_connection()
        _run_state.connection = ((path, version), duckdb.connect(path, read_only=True))
    return _run_state.connection[1], False


@st.cache_data(ttl=CACHE_TTL_S, show_spinner=False)
def run_query(
    path: str, version: int, sql: str, params: dict[str, Any] | None = None
) -> pl.DataFrame:
    """Run one query on the snapshot at `path` over a read-only connection: this run's shared
    one inside `one_connection_per_run()`, else a fresh one closed at once.

    `version` (the snapshot's mtime) is only part of the cache key: a swapped snapshot is a new
    key, so it is read at once. Raises `duckdb.IOException` if the file is missing or locked.
    """
    con, owned = _connection(path, version)
    try:
        return con.execute(sql, params or {}).pl()
    finally:
        if owned:
            con.close()


def fetch(sql: str, params: dict[str, Any] | None = None) -> pl.DataFrame:
    """Run `sql` on the current snapshot with the parameters it names (`$name`); the others in
    `params` are dropped, so a page can pass all its filters to every query.

    If the snapshot is being swapped, say so, wait `RETRY_DELAY_S` and try once more; if it
    fails again, tell the user to reload and stop the page (`st.stop`)."""
    used = {name: value for name, value in (params or {}).items() if f"${name}" in sql}
    try:
        return _run(sql, used)
    except duckdb.IOException:
        notice = st.empty()
        notice.info("Data refreshing: a new snapshot is being published. Retrying…", icon="🔄")
        time.sleep(RETRY_DELAY_S)
    try:
        result = _run(sql, used)
    except duckdb.IOException:
        notice.warning(
            "Data refreshing: the snapshot is being replaced. Reload the page in a few seconds.",
            icon="🔄",
        )
        st.stop()
    notice.empty()
    return result


def _run(sql: str, params: dict[str, Any]) -> pl.DataFrame:
    path = data_source.serving_path()
    return run_query(str(path), data_source.snapshot_version(path), sql, params)
