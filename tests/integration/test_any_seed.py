"""For any seed, not just the committed one: generate → build → `itot kpis --json` equals
truth.json.

Runs the real command line, as a user would, in fresh folders.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.kpi_truth import assert_kpis_match_truth

pytestmark = pytest.mark.integration


def itot(*args: str) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [sys.executable, "-m", "orchestration.cli", *args],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result


def test_other_seed_end_to_end(tmp_path: Path) -> None:
    landing, data = tmp_path / "landing", tmp_path / "data"
    itot("generate", "--profile", "demo", "--seed", "7", "--out", str(landing), "--quiet")
    itot("build", "--landing", str(landing), "--data", str(data), "--quiet")
    kpis = json.loads(itot("kpis", "--data", str(data), "--json").stdout)
    truth = json.loads((landing / "truth.json").read_text(encoding="utf-8"))
    assert truth["seed"] == 7
    assert_kpis_match_truth(kpis, truth)
    ledger = json.loads(itot("ledger", "--data", str(data), "--json").stdout)
    assert ledger, "the ledger lists no file"
    for row in ledger:  # one object per file, with its per-dataset breakdown
        assert row["rows_in"] == row["rows_loaded"] + row["rows_quarantined"], row["file_path"]
        for part in row["datasets"]:
            assert part["rows_in"] == part["rows_loaded"] + part["rows_quarantined"], part
