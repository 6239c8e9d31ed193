"""Conformance on the real public files under tests/conformance/real (see its README.md).

The files are read by `itot inspect`'s dry run over the whole folder (`dry_run`: detection, the
delivery plan, parsing and the record rules, as a first build runs them; no inventory export is
there, so no unknown-cell rule applies). What it reports per file, the format and per dataset
the records loaded and quarantined and the most frequent reason, must equal the hand-checked
`expected.json` beside the file; every file must have an entry, and every entry a file.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from orchestration.ingest.dry_run import dry_run

REAL = Path(__file__).resolve().parent / "real"
NOT_FILES = {"SOURCES.md", "expected.json", "README.md"}


def _cases() -> list[tuple[Path, dict]]:
    cases = []
    for expected_file in sorted(REAL.glob("*/expected.json")):
        expected = json.loads(expected_file.read_text(encoding="utf-8"))
        for name, entry in sorted(expected.items()):
            cases.append((expected_file.parent / name, entry))
    return cases


def _files() -> list[Path]:
    return sorted(p for p in REAL.glob("*/*") if p.is_file() and p.name not in NOT_FILES)


@cache
def inspected() -> dict[str, dict[str, Any]]:
    """{path under REAL: what `itot inspect --landing REAL --json` reports for it}."""
    return {f["file_path"]: f for f in dry_run(REAL).files()}


def read_as_inspect(path: Path) -> tuple[str | None, dict[str, tuple[int, int, str | None]]]:
    """(detected format, {dataset: (loaded, quarantined, most frequent reason)})."""
    file = inspected()[path.relative_to(REAL).as_posix()]
    counts = {
        part["dataset"]: (part["rows_loaded"], part["rows_quarantined"], part["reason"])
        for part in file["datasets"]
    }
    return file["format"], counts


def test_every_file_has_an_expectation() -> None:
    expected = {path for path, _ in _cases()}
    files = set(_files())
    assert files - expected == set(), "files without an entry in expected.json"
    assert expected - files == set(), "expected.json entries without a file"


@pytest.mark.parametrize(
    ("path", "entry"), _cases(), ids=[f"{p.parent.name}/{p.name}" for p, _ in _cases()]
)
def test_real_file_reads_as_counted_by_hand(path: Path, entry: dict) -> None:
    fmt, counts = read_as_inspect(path)
    assert fmt == entry["format"]
    for dataset, want in entry.get("datasets", {}).items():
        loaded, quarantined, reason = counts.get(dataset, (0, 0, None))
        assert (loaded, quarantined) == (want["loaded"], want["quarantined"]), dataset
        if want.get("reason"):
            assert reason is not None and want["reason"] in reason, (dataset, reason)
        else:
            assert reason is None, (dataset, reason)
    unexpected = {d for d, (n, q, _) in counts.items() if n or q} - set(entry.get("datasets", {}))
    assert not unexpected, f"records in datasets the entry does not name: {unexpected}"
