"""The fault-injected demo operator builds to completion: every fault quarantined with its
reason and counted exactly, every file's rows conserved, the headline KPIs still the truth."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import polars as pl
import pytest

from orchestration import paths
from orchestration.ingest.ledger import read_ledger
from orchestration.ingest.quarantine import read_quarantine
from orchestration.serving import read_kpis
from orchestration.simulator.fault_catalogue import CATALOGUE
from tests.build_env import build_env_restored
from tests.kpi_truth import assert_kpis_equal

pytestmark = [pytest.mark.integration, pytest.mark.seconds(90)]


@pytest.fixture(scope="module")
def faulty_build(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Path, dict]]:
    from orchestration.build import build_all
    from orchestration.simulator import generate

    landing = tmp_path_factory.mktemp("faulty") / "landing"
    data = tmp_path_factory.mktemp("faulty_data")
    truth = generate("demo", 42, landing, progress=False, faults=True)
    with build_env_restored():
        result = build_all(landing, data, progress=False)  # raises BuildError on any failure
    assert "serving_snapshot" in result.materialized
    yield landing, data, truth


def test_every_catalogued_fault_was_injected(faulty_build) -> None:
    _, _, truth = faulty_build
    assert [f["id"] for f in truth["faults"]] == [f.id for f in CATALOGUE]
    assert len(truth["faults"]) >= 30


def test_every_ledger_row_conserves_its_rows(faulty_build) -> None:
    _, data, _ = faulty_build
    ledger = read_ledger(data)
    broken = ledger.filter(pl.col("rows_in") != pl.col("rows_loaded") + pl.col("rows_quarantined"))
    assert broken.is_empty(), broken
    assert read_quarantine(data).height == ledger["rows_quarantined"].sum()


def test_every_fault_is_quarantined_with_its_reason_and_counted(faulty_build) -> None:
    _, data, truth = faulty_build
    ledger, quarantine = read_ledger(data), read_quarantine(data)
    for fault in truth["faults"]:
        row = ledger.filter(
            (pl.col("file_path") == fault["file"]) & pl.col("dataset").eq_missing(fault["dataset"])
        )
        assert row.height == 1, fault
        got = row.row(0, named=True)
        assert got["status"] == fault["status"], fault
        assert got["rows_quarantined"] == fault["records_removed"], fault
        assert got["reason"].startswith(fault["reason"]), (fault, got["reason"])
        reasons = quarantine.filter(pl.col("file_path") == fault["file"])["reason"].to_list()
        assert len(reasons) == fault["records_removed"], fault
        assert all(r.startswith(fault["reason"]) for r in reasons), (fault, reasons)


def test_the_rest_of_the_batch_loads(faulty_build) -> None:
    landing, data, truth = faulty_build
    ledger = read_ledger(data)
    fault_files = [f["file"] for f in truth["faults"]]
    rest = ledger.filter(~pl.col("file_path").is_in(fault_files))
    assert rest.height > 0 and (rest["status"] == "loaded").all()
    partial = [f["file"] for f in truth["faults"] if f["status"] == "partial"]
    loaded = ledger.filter(pl.col("file_path").is_in(partial))
    assert (loaded["rows_loaded"] > 0).all(), "a damaged record never takes its file down"


def test_nothing_was_read_outside_the_landing_zone(faulty_build) -> None:
    _, data, truth = faulty_build
    link = next(f for f in truth["faults"] if f["name"] == "symlink_escape")
    raw = read_quarantine(data).filter(pl.col("file_path") == link["file"])["raw"][0]
    assert "root:" not in raw and raw.startswith("symbolic link -> ")


def test_headline_kpis_equal_the_truth(faulty_build) -> None:
    landing, data, _ = faulty_build
    truth = json.loads((landing / "truth.json").read_text(encoding="utf-8"))
    actual = read_kpis(paths.serving_path(data))
    # Every contract key, nested autonomy and roi included (tests/kpi_truth.py).
    assert_kpis_equal(actual, truth["kpis"])
