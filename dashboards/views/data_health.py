"""Data health: can the figures on the other pages be trusted?

First, any bronze dataset blocked by an ERROR check: which check, on how many rows, and the marts
it held back (stale: the last good version, or empty). Per source: how fresh its data is, and
what the ingest ledger proves about it (rows in = rows loaded + rows quarantined, with the
reasons); then the latest Great Expectations results of every bronze dataset and the dbt tests of
the latest build. This page is about the pipeline's latest run, not about a business period: the
global filters do not narrow it.
"""

from __future__ import annotations

import polars as pl
import streamlit as st

from dashboards import charts
from dashboards.guards import snapshot_has
from dashboards.page_header import start_page
from dashboards.queries import data_health as queries
from dashboards.queries.snapshot import FRAME_TABLES
from dashboards.tables import show_table


def _tiles() -> None:
    totals = queries.ledger_totals()
    gx = queries.gx_summary()
    dbt = queries.dbt_test_summary()
    dbt_counts = dict(zip(dbt["status"].to_list(), dbt["tests"].to_list(), strict=True))
    dbt_failed = sum(n for s, n in dbt_counts.items() if s in ("fail", "error"))
    rows = [
        (
            "Rows in",
            f"{totals['rows_in']:,}",
            f"Records read from {totals['files']:,} source files.",
        ),
        (
            "Rows loaded",
            f"{totals['rows_loaded']:,}",
            "Records that reached bronze (typed Parquet).",
        ),
        (
            "Rows quarantined",
            f"{totals['rows_quarantined']:,}",
            f"Rejected with a reason, never dropped; {totals['files_with_rejects']:,} files.",
        ),
    ]
    checks = [
        (
            "Expectation errors",
            f"{int(gx['errors'].sum()):,}",
            "Great Expectations on bronze; an error blocks what depends on its dataset.",
        ),
        (
            "Expectation warnings",
            f"{int(gx['warnings'].sum()):,}",
            "Implausible but possibly legitimate values; the build goes on.",
        ),
        (
            "dbt tests passed",
            f"{sum(dbt_counts.values()) - dbt_failed:,}",
            "Tests of the latest `dbt build` on the models.",
        ),
        ("dbt tests failed", f"{dbt_failed:,}", "Failed or errored tests of that build."),
    ]
    # One figure a tile, a row per kind: a tile cuts a value wider than itself (at 1440 px, five
    # tiles a row cut "0 errors · 3 warnings").
    for tiles in (rows, checks):
        for column, (label, value, definition) in zip(st.columns(len(tiles)), tiles, strict=True):
            with column:
                st.metric(label, value, border=True)
                st.caption(definition)
    conserved = totals["rows_in"] == totals["rows_loaded"] + totals["rows_quarantined"]
    if conserved:
        st.success("Rows are conserved: rows in = rows loaded + rows quarantined.", icon="✅")
    else:
        st.error("Rows are NOT conserved: rows in ≠ rows loaded + rows quarantined.", icon="⚠️")


def _sources() -> None:
    st.subheader("Sources: freshness and the ingest ledger")
    sources = queries.source_freshness()
    left, right = st.columns([3, 2])
    with left:
        show_table(
            sources,
            "source_freshness",
            column_config={
                "event_lag_hours": st.column_config.NumberColumn("Event lag (h)", format="%.1f"),
                "max_event_lag_hours": st.column_config.NumberColumn(
                    "Allowed lag (h)", format="%.0f"
                ),
                "rows_in": st.column_config.NumberColumn("Rows in", format="localized"),
                "rows_loaded": st.column_config.NumberColumn("Loaded", format="localized"),
                "rows_quarantined": st.column_config.NumberColumn(
                    "Quarantined", format="localized"
                ),
            },
        )
        st.caption(
            "Event lag: hours by which the source's newest record trails the newest record of "
            "any source (relative, so a replayed landing zone is judged on its own timeline); "
            "stale when over the allowed lag."
        )
    with right:
        with_rows = sources.filter(pl.col("rows_in").is_not_null())
        if not with_rows.is_empty():
            st.plotly_chart(charts.ledger_rows(with_rows), key="ledger_rows")


def _quarantine() -> None:
    st.subheader("Quarantined records by reason")
    reasons = queries.quarantine_reasons()
    if reasons.is_empty():
        st.success("Nothing was quarantined in the latest ingest.", icon="✅")
    else:
        show_table(reasons, "quarantine_reasons")
    with st.expander("Every source file in the ledger"):
        show_table(queries.ledger_files(), "ingest_ledger")
        st.caption(
            "One row per file: its totals, most frequent reject reason, and the rows of each "
            "dataset it feeds (a VES batch can feed alarms, PM counters and other VES events)."
        )


def _expectations() -> None:
    st.subheader("Data quality (Great Expectations, latest run per dataset)")
    left, right = st.columns([2, 3])
    with left:
        show_table(queries.gx_summary(), "expectations_by_dataset")
    with right:
        results = queries.gx_results()
        failed = results.filter(~pl.col("is_success"))
        if failed.is_empty():
            st.success(f"All {results.height:,} expectations and freshness checks passed.")
        else:
            st.warning(f"{failed.height:,} of {results.height:,} checks failed.")
            show_table(failed, "failed_expectations")
    with st.expander("Every expectation result"):
        show_table(results, "expectation_results")


def _dbt_tests() -> None:
    st.subheader("dbt tests (latest build)")
    tests = queries.dbt_tests()
    if tests.is_empty():
        st.info("No dbt test results in this snapshot yet: they appear after the next build.")
        return
    failing = tests.filter(pl.col("status") != "pass")
    if failing.is_empty():
        st.success(f"All {tests.height:,} dbt tests passed.", icon="✅")
    else:
        st.warning(f"{failing.height:,} of {tests.height:,} dbt tests did not pass.")
        show_table(failing, "dbt_tests_not_passed")
    with st.expander("Every dbt test"):
        show_table(tests, "dbt_tests")


def _blocked() -> None:
    """One error per blocked dataset, naming the check, the rows and the stale marts."""
    if not snapshot_has(queries.STALE_TABLES):
        return
    blocked = queries.blocked_datasets()
    for row in blocked.iter_rows(named=True):
        kept = "empty (never built)" if row["has_empty"] else "their last good version"
        st.error(
            f"**{row['reason']}.** {row['stale_models']:,} dbt models were held back and show "
            f"{kept}: {row['stale_marts'] or 'no mart'}. Everything else is current.",
            icon="⛔",
        )
    if not blocked.is_empty():
        with st.expander("Stale models"):
            show_table(queries.stale_models(), "stale_models")


def render() -> None:
    start_page(
        "Data health",
        FRAME_TABLES | queries.HEALTH_TABLES,
        "Freshness, the ingest ledger, data quality and dbt tests of the latest build. The "
        "global filters do not apply here: this page describes the pipeline, not a period.",
    )
    _blocked()
    _tiles()
    _sources()
    _quarantine()
    _expectations()
    _dbt_tests()


render()
