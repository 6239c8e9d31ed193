"""`itot inspect`'s dry run: it reports exactly what ingest loads and quarantines, per file and
dataset, and writes nothing; and the per-file ledger view both of them print."""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

import pytest

from orchestration.ingest.dataset_spec import PM_UNKNOWN_CELL
from orchestration.ingest.dry_run import NO_FORMAT, dry_run
from orchestration.ingest.landing import scan_landing
from orchestration.ingest.ledger import LedgerEntry, ledger_frame, read_ledger
from orchestration.ingest.ledger_files import DATASET_FIELDS, FILE_COLUMNS, files_view
from orchestration.ingest.run import ingest_dataset
from orchestration.sources import DATASETS
from orchestration.sources.result import FILE_REF, Reject

FIXTURES = Path(__file__).parents[1] / "fixtures"
ERICSSON = "zone/pm/oss-ericsson/A20240101.0000+0000-20240102.0000+0000_oss-ericsson.xml"
KNOWN_CELL = b"ManagedElement=NE-0001,GNBDUFunction=1,NRCellDU=2"
UNKNOWN_CELL = b"ManagedElement=NE-0001,GNBDUFunction=1,NRCellDU=99"


def tree(root: Path) -> dict[str, tuple[int, int, str]]:
    """{relative path: (size, mtime_ns, sha256)} of every file and folder under `root`."""
    out = {}
    for path in sorted(root.rglob("*")):
        stat = path.lstat()
        digest = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else ""
        out[path.relative_to(root).as_posix()] = (stat.st_size, stat.st_mtime_ns, digest)
    return out


@pytest.fixture()
def landing(tmp_path: Path) -> Path:
    """The fixture zone (with its inventory) and every gotcha, plus: a PM file naming a cell the
    inventory does not list, a later copy of the same bytes (a duplicate delivery), a file of no
    format and a truncated XML file (a parser error)."""
    root = tmp_path / "landing"
    shutil.copytree(FIXTURES / "landing", root / "zone")
    shutil.copytree(FIXTURES / "gotchas", root / "gotchas")
    pm = root / ERICSSON
    pm.write_bytes(pm.read_bytes().replace(KNOWN_CELL, UNKNOWN_CELL))
    copy = root / "redelivered" / "ericsson_again.xml"
    copy.parent.mkdir()
    shutil.copyfile(pm, copy)
    later = pm.stat().st_mtime + 60
    os.utime(copy, (later, later))
    (root / "notes.bin").write_bytes(b"\x00\x01 not a landing format")
    (root / "truncated.xml").write_bytes(pm.read_bytes()[:700])
    return root


def ingest_all(landing: Path, data: Path) -> None:
    """What a build's ingest does: scan, then every dataset's asset."""
    scan_landing(landing, data)
    for dataset in DATASETS:
        ingest_dataset(dataset, landing, data)


def test_dry_run_reports_what_ingest_loads(landing: Path, tmp_path: Path) -> None:
    run = dry_run(landing)
    ingest_all(landing, tmp_path / "data")
    assert run.files() == files_view(read_ledger(tmp_path / "data"))


def test_dry_run_writes_nothing(landing: Path, tmp_path: Path) -> None:
    before = tree(tmp_path)
    dry_run(landing)
    assert tree(tmp_path) == before


def test_dry_run_applies_the_inventory_and_the_delivery_plan(landing: Path) -> None:
    files = {f["file_path"]: f for f in dry_run(landing).files()}
    pm = files[ERICSSON]
    assert pm["status"] == "partial" and pm["reason"].startswith(PM_UNKNOWN_CELL)
    assert pm["rows_quarantined"] > 0 and pm["rows_loaded"] > 0
    duplicate = files["redelivered/ericsson_again.xml"]
    assert duplicate["status"] == "duplicate" and duplicate["duplicate_of"] == ERICSSON
    assert (duplicate["rows_in"], duplicate["rows_loaded"]) == (0, 0)
    assert files["notes.bin"]["format"] is None and files["notes.bin"]["datasets"] == []
    assert files["notes.bin"]["reason"].startswith("unrecognised format")
    assert files["truncated.xml"]["reason"].startswith("not well-formed XML")

    shutil.rmtree(landing / "zone" / "inventory")
    without = {f["file_path"]: f for f in dry_run(landing).files()}[ERICSSON]
    assert without["status"] == "loaded", "no inventory: the unknown-cell rule is skipped"


def test_every_file_and_dataset_conserves_rows(landing: Path) -> None:
    run = dry_run(landing)
    files = run.files()
    assert {f["file_path"] for f in files} == {
        p.relative_to(landing).as_posix()
        for p in landing.rglob("*")
        if p.is_file() and p.name != "truth.json"
    }
    for file in files:
        assert file["rows_in"] == file["rows_loaded"] + file["rows_quarantined"], file
        for part in file["datasets"]:
            assert part["rows_in"] == part["rows_loaded"] + part["rows_quarantined"], part
        if file["datasets"]:
            for column in ("rows_in", "rows_loaded", "rows_quarantined"):
                assert file[column] == sum(p[column] for p in file["datasets"]), file
    summary = {d["dataset"]: d for d in run.datasets()}
    for column in ("rows_in", "rows_loaded", "rows_quarantined"):
        assert sum(d[column] for d in summary.values()) == sum(f[column] for f in files)
    assert summary[NO_FORMAT]["files"] == 2  # notes.bin, gotchas/unknown.json
    assert summary["pm_counters"]["reason"].startswith(PM_UNKNOWN_CELL)


# --- the per-file view ---------------------------------------------------------------------------


def entry(path: str, fmt: str | None, dataset: str | None, loaded: int, rejects=(), **kw):
    return LedgerEntry(path, path, fmt, dataset, "sha", 10, loaded, list(rejects), **kw)


def test_a_file_feeding_several_datasets_is_one_object_with_its_breakdown() -> None:
    bad = [Reject("r1", "negative counter value: x"), Reject("r2", "negative counter value: y")]
    ledger = ledger_frame(
        [
            entry("ves.json", "ves_json", "alarm_events", 0),  # the primary's 0-row twin
            entry("ves.json", "ves_json", "pm_counters", 5, bad),
            entry("ves.json", "ves_json", "ves_events", 1, [Reject("r3", "other")]),
        ]
    )
    [file] = files_view(ledger)
    assert list(file) == [*FILE_COLUMNS, "datasets"]
    assert (file["status"], file["rows_in"], file["rows_loaded"], file["rows_quarantined"]) == (
        "partial",
        9,
        6,
        3,
    )
    assert file["reason"] == "negative counter value: x"  # the dataset with most rejects
    assert [p["dataset"] for p in file["datasets"]] == ["pm_counters", "ves_events"]
    assert all(list(p) == list(DATASET_FIELDS) for p in file["datasets"])


def test_a_file_without_records_shows_its_primary_dataset_alone() -> None:
    ledger = ledger_frame(
        [
            entry("empty.xml", "3gpp_pm_xml", "pm_counters", 0),
            entry("copy.json", "ves_json", "alarm_events", 0, duplicate_of="ves.json"),
            entry("junk.bin", None, None, 0, [Reject(FILE_REF, "unrecognised format")]),
            entry("gone.json", "ves_json", "alarm_events", 0, [Reject(FILE_REF, "parser error")]),
        ]
    )
    files = {f["file_path"]: f for f in files_view(ledger)}
    assert files["empty.xml"]["status"] == "loaded"
    assert [p["dataset"] for p in files["empty.xml"]["datasets"]] == ["pm_counters"]
    assert files["copy.json"]["status"] == "duplicate"
    assert files["copy.json"]["duplicate_of"] == "ves.json"
    assert [p["dataset"] for p in files["copy.json"]["datasets"]] == ["alarm_events"]
    assert files["junk.bin"]["datasets"] == [] and files["junk.bin"]["rows_quarantined"] == 1
    assert files["gone.json"]["status"] == "quarantined"
    assert files["gone.json"]["reason"] == "parser error"


def test_an_empty_ledger_has_no_files() -> None:
    assert files_view(ledger_frame([])) == []
