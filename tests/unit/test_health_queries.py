"""The Data health page's ledger queries, run on a snapshot's ledger tables built from ledger
rows: files are counted per file as the user sees them (no 0-row twin of a VES batch)."""

from __future__ import annotations

import duckdb

from dashboards.queries import data_health
from orchestration.ingest.ledger import LedgerEntry, ledger_frame
from orchestration.ingest.ledger_files import serving_frame
from orchestration.sources.result import FILE_REF, Reject


def entry(path: str, fmt: str | None, dataset: str | None, loaded: int, rejects=(), **kw):
    return LedgerEntry(path, path, fmt, dataset, "sha-" + path, 10, loaded, list(rejects), **kw)


LEDGER = ledger_frame(
    [
        entry("faults.json", "ves_json", "alarm_events", 3),
        entry("perf.json", "ves_json", "alarm_events", 0),  # a 0-row twin
        entry("perf.json", "ves_json", "pm_counters", 8, [Reject("r", "negative counter value")]),
        entry("copy.json", "ves_json", "alarm_events", 0, duplicate_of="faults.json"),
        entry("junk.bin", None, None, 0, [Reject(FILE_REF, "unrecognised format")]),
    ]
)


def run(sql: str) -> list[dict]:
    con = duckdb.connect()
    con.register("ingest_ledger", LEDGER.to_arrow())
    con.register("ingest_ledger_files", serving_frame(LEDGER).to_arrow())
    con.execute(
        "create table fct_data_quality_results (dataset varchar, check_name varchar, "
        "expectation_type varchar, observed varchar, is_success boolean, checked_at timestamptz)"
    )
    cursor = con.execute(sql)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def test_sources_count_the_files_that_feed_each_dataset() -> None:
    sources = {row["dataset"]: row for row in run(data_health.SQL_SOURCE_FRESHNESS)}
    assert sources["alarm_events"]["files"] == 2  # faults.json and its duplicate copy
    assert sources["alarm_events"]["rows_in"] == 3
    assert (sources["pm_counters"]["files"], sources["pm_counters"]["rows_quarantined"]) == (1, 1)
    assert sources[None]["files"] == 1 and sources[None]["rows_quarantined"] == 1  # junk.bin
    assert all(row["last_ingested_at"] is not None for row in sources.values())
    assert sum(row["rows_in"] for row in sources.values()) == LEDGER["rows_in"].sum()


def test_files_and_totals_are_one_row_per_file() -> None:
    files = run(data_health.SQL_LEDGER_FILES)
    assert [f["file_path"] for f in files][:2] == ["junk.bin", "perf.json"]  # rejects first
    assert sorted(f["file_path"] for f in files) == [
        "copy.json",
        "faults.json",
        "junk.bin",
        "perf.json",
    ]
    perf = files[1]
    assert perf["datasets"] == "pm_counters: 9 in, 8 loaded, 1 quarantined"
    [totals] = run(data_health.SQL_LEDGER_TOTALS)
    assert totals == {
        "files": 4,
        "rows_in": 13,
        "rows_loaded": 11,
        "rows_quarantined": 2,
        "files_with_rejects": 2,
    }
