"""Landing scan: listing, checksums, formats, and whole-file quarantine of unknown files."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import polars as pl

from orchestration.ingest import landing as landing_module
from orchestration.ingest.files import file_key
from orchestration.ingest.landing import LANDING_SCHEMA, scan_landing
from orchestration.ingest.ledger import read_ledger
from orchestration.ingest.quarantine import read_quarantine

LANDING = Path(__file__).parents[1] / "fixtures" / "landing"


def test_file_key_is_sha256_of_relative_path() -> None:
    rel = "pm/oss-1/A.xml"
    assert file_key(rel) == hashlib.sha256(rel.encode()).hexdigest()[:16]


def test_scan_quarantines_unknown_files(tmp_path: Path) -> None:
    landing = tmp_path / "landing"
    shutil.copytree(LANDING, landing)
    (landing / "misc").mkdir()
    (landing / "misc" / "notes.txt").write_text("not a landing format\n")
    (landing / ".hidden").write_text("skip me")
    data = tmp_path / "data"

    scan = scan_landing(landing, data)
    assert (scan.files, scan.recognised, scan.unrecognised) == (14, 13, 1)
    frame = pl.read_parquet(data / "landing_files.parquet")
    assert dict(frame.schema) == LANDING_SCHEMA
    assert "truth.json" not in frame["file_path"].to_list()
    notes = frame.filter(pl.col("file_path") == "misc/notes.txt").row(0, named=True)
    assert notes["format"] is None and notes["dataset"] is None
    body = (landing / "misc" / "notes.txt").read_bytes()
    assert notes["checksum_sha256"] == hashlib.sha256(body).hexdigest()
    assert notes["file_key"] == file_key("misc/notes.txt")

    ledger = read_ledger(data)
    assert ledger.height == 1
    row = ledger.row(0, named=True)
    assert (row["status"], row["reason"], row["rows_in"], row["rows_quarantined"]) == (
        "quarantined",
        "unrecognised format",
        1,
        1,
    )
    q = read_quarantine(data)
    assert q.select("record_ref", "reason").row(0) == ("<file>", "unrecognised format")
    assert q["raw"][0].startswith("not a landing format")


def test_scan_of_missing_landing_dir(tmp_path: Path) -> None:
    scan = scan_landing(tmp_path / "nowhere", tmp_path / "data")
    assert scan.files == 0 and (tmp_path / "data" / "landing_files.parquet").exists()


def test_rescan_hashes_only_new_and_changed_files(tmp_path: Path, monkeypatch) -> None:
    """A file of unchanged path, size and modification time keeps the previous scan's checksum
    without being read; a changed file is hashed again, and its checksum is the new bytes'."""
    landing = tmp_path / "landing"
    shutil.copytree(LANDING, landing)
    data = tmp_path / "data"
    first = scan_landing(landing, data).frame
    hashed: list[str] = []
    real = landing_module.sha256_file

    def counting(path: Path) -> str:
        hashed.append(path.relative_to(landing).as_posix())
        return real(path)

    monkeypatch.setattr(landing_module, "sha256_file", counting)
    second = scan_landing(landing, data).frame
    assert hashed == []
    assert second["checksum_sha256"].to_list() == first["checksum_sha256"].to_list()

    changed = landing / first["file_path"][0]
    changed.write_bytes(changed.read_bytes() + b"\n")
    again = scan_landing(landing, data).frame
    assert hashed == [first["file_path"][0]]
    row = again.filter(pl.col("file_path") == first["file_path"][0]).row(0, named=True)
    assert row["checksum_sha256"] == hashlib.sha256(changed.read_bytes()).hexdigest()
    unchanged = again.filter(pl.col("file_path") != first["file_path"][0])
    assert unchanged["checksum_sha256"].to_list() == first["checksum_sha256"][1:].to_list()
