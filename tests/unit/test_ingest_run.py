"""ingest_dataset end to end on a tmp landing zone built from the fixtures."""

from __future__ import annotations

import gzip
import shutil
from pathlib import Path

import polars as pl
import pytest

from orchestration.ingest.landing import scan_landing
from orchestration.ingest.ledger import read_ledger
from orchestration.ingest.quarantine import read_quarantine
from orchestration.ingest.run import ingest_dataset
from orchestration.sources import BY_DATASET, DATASETS

LANDING = Path(__file__).parents[1] / "fixtures" / "landing"
EXPECTED_ROWS = {
    "pm_counters": 40 + 8,  # + the gzip copy of the Nokia file under another name
    "alarm_events": 2,
    "inventory_cells": 3,
    "customers": 2,
    "product_orders": 2,
    "order_events": 3,
    "trouble_tickets": 2,
    "customer_bills": 1,
    "billing_rates": 2,
    "usage": 2,
    "survey_responses": 3,
    "process_events": 3,
    "service_orders": 0,
    "tmf_events": 0,
    "ves_events": 0,
}


@pytest.fixture()
def zone(tmp_path: Path) -> tuple[Path, Path]:
    landing = tmp_path / "landing"
    shutil.copytree(LANDING, landing)
    nokia = next((landing / "pm" / "oss-nokia").glob("*.xml"))
    gz = landing / "pm" / "oss-nokia" / "A20240102.0000+0000-20240103.0000+0000_oss-nokia.xml.gz"
    # Same content, next day: rename the period so it is not a duplicate of the first file.
    gz.write_bytes(
        gzip.compress(nokia.read_bytes().replace(b"2024-01-01T01:15", b"2024-01-02T01:15"))
    )
    return landing, tmp_path / "data"


def test_every_dataset_loads_without_rejects(zone: tuple[Path, Path]) -> None:
    landing, data = zone
    for dataset in DATASETS:
        summary = ingest_dataset(dataset, landing, data)  # scans on first call
        assert summary.rows_quarantined == 0, summary.reasons
        assert summary.rows_loaded == summary.rows_in == EXPECTED_ROWS[dataset]
        bronze = pl.read_parquet(data / "bronze" / dataset / "**" / "*.parquet")
        assert bronze.height == EXPECTED_ROWS[dataset]
        assert bronze.columns == [*BY_DATASET[dataset].SCHEMA, "source_file", "source_record"]
    pm = ingest_dataset("pm_counters", landing, data)  # nothing changed: nothing read again
    assert (pm.files, pm.unchanged, pm.days) == (0, 3, [])
    ledger = read_ledger(data)
    assert ledger.height == 14 and set(ledger["status"]) == {"loaded"}
    assert (ledger["rows_in"] == ledger["rows_loaded"] + ledger["rows_quarantined"]).all()


def test_reingest_is_idempotent(zone: tuple[Path, Path]) -> None:
    landing, data = zone
    ingest_dataset("pm_counters", landing, data)
    ingest_dataset("pm_counters", landing, data)
    assert pl.read_parquet(data / "bronze/pm_counters/**/*.parquet").height == 48
    assert read_ledger(data).height == 3


def test_unchanged_files_are_not_read_again(zone: tuple[Path, Path]) -> None:
    """Only a file whose bytes, ingest context or bronze rows changed is ingested again."""
    landing, data = zone
    first = ingest_dataset("pm_counters", landing, data)
    bronze = sorted((data / "bronze/pm_counters").glob("day=*/*.parquet"))
    stamps = {p: p.stat().st_mtime_ns for p in bronze}
    assert (first.files, first.unchanged) == (3, 0)
    again = ingest_dataset("pm_counters", landing, data)
    assert (again.files, again.unchanged, again.rows_in) == (0, 3, 0)
    assert {p: p.stat().st_mtime_ns for p in bronze} == stamps  # not rewritten

    # a file whose bronze rows were removed is ingested again, the others are not
    victim = bronze[0]
    victim.unlink()
    redo = ingest_dataset("pm_counters", landing, data)
    assert (redo.files, redo.unchanged) == (1, 2) and victim.exists()

    # a ledger row written under other ingest rules (another code or inventory) is redone
    ledger = data / "ledger"
    row = next(p for p in ledger.glob("*.parquet") if victim.stem in p.name)
    old = pl.read_parquet(row).with_columns(pl.lit("other rules").alias("ingest_context"))
    old.write_parquet(row)
    assert ingest_dataset("pm_counters", landing, data).files == 1
    assert pl.read_parquet(data / "bronze/pm_counters/**/*.parquet").height == 48


def test_bad_records_and_files_are_quarantined(zone: tuple[Path, Path]) -> None:
    landing, data = zone
    survey = landing / "surveys" / "survey_responses.csv"
    survey.write_text(survey.read_text() + "SRV-9,CUST-9,2024-01-01,app,42,\n")
    (landing / "surveys" / "broken.csv").write_text("response_id,nps_score\n1,2\n")
    (landing / "zzz.bin").write_bytes(b"\x00garbage")
    scan_landing(landing, data)

    summary = ingest_dataset("survey_responses", landing, data)
    assert (summary.files, summary.rows_in, summary.rows_loaded, summary.rows_quarantined) == (
        2,
        5,
        3,
        2,
    )
    assert summary.reasons == {
        "nps_score '42' out of range 0-10": 1,
        "missing column(s) customer_id, channel, response_date, csat_score": 1,
    }
    ledger = read_ledger(data)
    assert (ledger["rows_in"] == ledger["rows_loaded"] + ledger["rows_quarantined"]).all()
    status = dict(ledger.select("file_path", "status").iter_rows())
    assert status == {
        "surveys/broken.csv": "quarantined",
        "surveys/survey_responses.csv": "partial",
        "zzz.bin": "quarantined",
    }
    assert read_quarantine(data).height == 3


def test_parser_exception_becomes_file_quarantine(
    zone: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    landing, data = zone
    module = BY_DATASET["usage"]

    def boom(path: Path) -> None:
        raise RuntimeError("kaboom\nsecond line")

    monkeypatch.setattr(module, "parse", boom)
    summary = ingest_dataset("usage", landing, data)
    assert summary.reasons == {"parser error: RuntimeError: kaboom second line": 1}
    assert (summary.rows_in, summary.rows_loaded, summary.rows_quarantined) == (1, 0, 1)
    assert pl.read_parquet(data / "bronze/usage/**/*.parquet").height == 0
