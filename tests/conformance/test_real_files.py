"""Conformance on the real public files under tests/conformance/real (see its README.md).

Each file is read as ingest reads it: detected, parsed for every dataset its format feeds, then
checked by the record rules (without an inventory, so no unknown-cell rule applies). The counts
of loaded and quarantined records per dataset, and the most frequent reason, must equal the
hand-checked `expected.json` beside the file; every file must have an entry, and every entry a
file.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from orchestration.ingest.detect import detect_format
from orchestration.ingest.record_rules import Context, apply_record_rules
from orchestration.ingest.run import safe_parse
from orchestration.sources import BY_FORMAT, parse_all

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


def read_as_ingest(path: Path) -> tuple[str | None, dict[str, tuple[int, int, str | None]]]:
    """(detected format, {dataset: (loaded, quarantined, most frequent reason)})."""
    fmt = detect_format(path)
    if fmt is None:
        return None, {}
    parser = BY_FORMAT[fmt]
    datasets = list(parse_all(parser, path)) if hasattr(parser, "DATASETS") else [parser.DATASET]
    counts: dict[str, tuple[int, int, str | None]] = {}
    for dataset in datasets:
        result = safe_parse(parser, path, dataset)
        if result is None:
            continue
        result = apply_record_rules(dataset, result, Context(inventory=None))
        reasons = Counter(r.reason for r in result.rejects)
        top = reasons.most_common(1)[0][0] if reasons else None
        counts[dataset] = (result.rows.height, len(result.rejects), top)
    return fmt, counts


def test_every_file_has_an_expectation() -> None:
    expected = {path for path, _ in _cases()}
    files = set(_files())
    assert files - expected == set(), "files without an entry in expected.json"
    assert expected - files == set(), "expected.json entries without a file"


@pytest.mark.parametrize(
    ("path", "entry"), _cases(), ids=[f"{p.parent.name}/{p.name}" for p, _ in _cases()]
)
def test_real_file_reads_as_counted_by_hand(path: Path, entry: dict) -> None:
    fmt, counts = read_as_ingest(path)
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
