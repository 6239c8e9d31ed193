"""The fault injector: a catalogue of >= 30 distinct faults, deterministic damage, and (at the
ingest level, without dbt) every fault quarantined with its reason and counted exactly."""

from __future__ import annotations

import filecmp
import json
import os
import shutil
from pathlib import Path

import polars as pl
import pytest

from orchestration.ingest.landing import scan_landing
from orchestration.ingest.ledger import read_ledger
from orchestration.ingest.quarantine import read_quarantine
from orchestration.ingest.run import ingest_dataset
from orchestration.simulator import generate
from orchestration.simulator.fault_catalogue import CATALOGUE
from orchestration.simulator.fault_injection import INJECTORS, inject_faults
from orchestration.sources import DATASETS


@pytest.fixture(scope="module")
def clean_zone(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("clean") / "zone"
    generate("demo", 42, out, progress=False)
    return out


@pytest.fixture(scope="module")
def damaged_zone(clean_zone: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("damaged") / "zone"
    shutil.copytree(clean_zone, out, symlinks=True)
    inject_faults(out, 42)
    return out


def _ingest(landing: Path, data: Path) -> tuple[pl.DataFrame, pl.DataFrame]:
    scan_landing(landing, data)
    for dataset in DATASETS:
        ingest_dataset(dataset, landing, data)
    return read_ledger(data), read_quarantine(data)


def test_catalogue_has_at_least_30_distinct_faults() -> None:
    assert len(CATALOGUE) >= 30
    assert len({f.id for f in CATALOGUE}) == len(CATALOGUE)
    assert len({f.name for f in CATALOGUE}) == len(CATALOGUE)
    reasons = [f.reason for f in CATALOGUE]
    assert len(set(reasons)) == len(reasons), "every fault has its own expected reason"
    for a in reasons:  # and no expected reason is the beginning of another one
        assert not any(b != a and b.startswith(a) for b in reasons), a
    assert set(INJECTORS) == {f.id for f in CATALOGUE}
    for f in CATALOGUE:
        assert f.records_removed >= 1 and f.status in ("partial", "quarantined")
        assert (f.kind == "record") == (f.status == "partial"), f.id


def test_faults_flag_of_generate_writes_the_faults_into_truth(tmp_path: Path) -> None:
    truth = generate("demo", 7, tmp_path / "zone", progress=False, faults=True)
    assert [f["id"] for f in truth["faults"]] == [f.id for f in CATALOGUE]
    on_disk = json.loads((tmp_path / "zone" / "truth.json").read_text(encoding="utf-8"))
    assert on_disk == truth
    files = [f["file"] for f in truth["faults"]]
    assert len(set(files)) == len(files), "one file per fault"
    for f in truth["faults"]:
        assert set(f) >= {"id", "description", "file", "format", "records_removed", "reason"}
        assert os.path.lexists(tmp_path / "zone" / f["file"]), f["file"]


def test_same_seed_gives_the_same_damaged_zone(clean_zone: Path, tmp_path: Path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    for zone in (a, b):
        shutil.copytree(clean_zone, zone, symlinks=True)
        inject_faults(zone, 42)
    rels = sorted(p.relative_to(a).as_posix() for p in a.rglob("*") if os.path.lexists(p))
    assert rels == sorted(p.relative_to(b).as_posix() for p in b.rglob("*") if os.path.lexists(p))
    for rel in rels:
        pa, pb = a / rel, b / rel
        if pa.is_symlink():
            assert os.readlink(pa) == os.readlink(pb), rel
        elif pa.is_file():
            assert filecmp.cmp(pa, pb, shallow=False), rel


def test_faults_leave_the_kpis_and_untouched_files_alone(clean_zone: Path, damaged_zone: Path):
    clean = json.loads((clean_zone / "truth.json").read_text(encoding="utf-8"))
    damaged = json.loads((damaged_zone / "truth.json").read_text(encoding="utf-8"))
    assert damaged["kpis"] == clean["kpis"]
    assert damaged["fault_injection"]["kpis_unaffected"] is True
    targets = {f["file"] for f in damaged["faults"]}
    for path in clean_zone.rglob("*"):
        rel = path.relative_to(clean_zone).as_posix()
        if path.is_file() and rel != "truth.json" and rel not in targets:
            assert filecmp.cmp(path, damaged_zone / rel, shallow=False), rel


def test_clean_zone_loads_without_a_single_reject(clean_zone: Path, tmp_path: Path) -> None:
    ledger, quarantine = _ingest(clean_zone, tmp_path / "data")
    assert quarantine.is_empty(), quarantine.select("file_path", "reason").head(5)
    assert (ledger["status"] == "loaded").all()


def test_every_fault_is_quarantined_and_counted(damaged_zone: Path, tmp_path: Path) -> None:
    ledger, quarantine = _ingest(damaged_zone, tmp_path / "data")
    assert (ledger["rows_in"] == ledger["rows_loaded"] + ledger["rows_quarantined"]).all()
    truth = json.loads((damaged_zone / "truth.json").read_text(encoding="utf-8"))
    fault_files = {f["file"] for f in truth["faults"]}
    others = ledger.filter(~pl.col("file_path").is_in(list(fault_files)))
    assert (others["rows_quarantined"] == 0).all(), "the rest of the batch loads"
    for f in truth["faults"]:
        row = ledger.filter(
            (pl.col("file_path") == f["file"]) & pl.col("dataset").eq_missing(f["dataset"])
        )
        assert row.height == 1, f["id"]
        got = row.row(0, named=True)
        assert (got["status"], got["rows_quarantined"]) == (f["status"], f["records_removed"]), f
        reasons = quarantine.filter(pl.col("file_path") == f["file"])["reason"].to_list()
        assert len(reasons) == f["records_removed"], f["id"]
        assert all(r.startswith(f["reason"]) for r in reasons), (f["id"], reasons)


def test_docs_faults_md_is_the_catalogue() -> None:
    from orchestration.simulator.fault_catalogue import render_markdown

    doc = Path(__file__).resolve().parents[2] / "docs" / "faults.md"
    assert doc.read_text(encoding="utf-8") == render_markdown(), (
        "docs/faults.md is stale: regenerate it with"
        " python -m orchestration.simulator.fault_catalogue > docs/faults.md"
    )
