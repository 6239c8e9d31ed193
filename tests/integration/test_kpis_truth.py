"""`itot kpis --json` equals the simulator's truth.json for every key of the KPI contract.

Counted figures and autonomy levels and roles exactly, other floats within 1e-4
(docs/kpi_definitions.md), the ROI benefit also within 10% of the benefit the simulator planted.
Runs the real command line on the committed demo build and, for any seed rather than only the
committed one, on the `small` profile generated with another seed (generate → build → kpis, in
fresh folders, as a user would).
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

import pytest

from tests.kpi_truth import assert_kpis_match_truth, kpi_mismatches

pytestmark = pytest.mark.integration


def itot(*args: str, timeout: int = 900) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [sys.executable, "-m", "orchestration.cli", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result


def kpis_json(data: Path, *window: str) -> dict:
    return json.loads(itot("kpis", "--data", str(data), "--json", *window).stdout)


def _truth(landing: Path) -> dict:
    return json.loads((landing / "truth.json").read_text(encoding="utf-8"))


def test_demo_kpis_equal_truth(demo_build) -> None:
    """Through the real command line (test_demo_build checks read_kpis on the same build)."""
    landing, data = demo_build
    assert_kpis_match_truth(kpis_json(data), _truth(landing))


def test_a_window_covering_the_whole_period_equals_the_headline(demo_build) -> None:
    """--from/--to recomputes every key from the daily marts in Python; over the whole period it
    must give what kpi_headline (SQL) gives."""
    landing, data = demo_build
    period = _truth(landing)["period"]
    first = period["start"][:10]
    last = (date.fromisoformat(period["end"][:10]) - timedelta(days=1)).isoformat()
    headline = kpis_json(data)
    window = kpis_json(data, "--from", first, "--to", last)
    problems = []
    for key in sorted(headline):
        problems += kpi_mismatches(key, window.get(key), headline[key])
    assert not problems, "\n".join(problems)


def test_a_window_restricts_the_counts(demo_build) -> None:
    _, data = demo_build
    whole = kpis_json(data)
    january = kpis_json(data, "--from", "2026-01-01", "--to", "2026-01-31")
    february = kpis_json(data, "--from", "2026-02-01", "--to", "2026-02-28")
    for key in ("orders_completed", "tickets_resolved", "incidents_detected"):
        assert january[key] + february[key] == whole[key], key
        assert 0 < january[key] < whole[key], key
    assert set(january["autonomy"]["order_fulfilment"]) == {"2026-01"}
    assert january["roi"]["cost"] + february["roi"]["cost"] == whole["roi"]["cost"]


def test_window_errors_are_one_line(demo_build) -> None:
    _, data = demo_build
    result = subprocess.run(
        [sys.executable, "-m", "orchestration.cli", "kpis", "--data", str(data)]
        + ["--from", "2026-02-10", "--to", "2026-02-01"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1
    assert result.stderr.startswith("itot: error:") and "after" in result.stderr
    assert "Traceback" not in result.stderr


def _generate_build_compare(tmp_path: Path, profile: str, seed: int) -> float:
    landing, data = tmp_path / "landing", tmp_path / "data"
    itot("generate", "--profile", profile, "--seed", str(seed), "--out", str(landing), "--quiet")
    started = time.monotonic()
    itot("build", "--landing", str(landing), "--data", str(data), "--quiet", timeout=1800)
    seconds = time.monotonic() - started
    truth = _truth(landing)
    assert (truth["profile"], truth["seed"]) == (profile, seed)
    assert_kpis_match_truth(kpis_json(data), truth)
    ledger = json.loads(itot("ledger", "--data", str(data), "--json").stdout)
    assert ledger, "the ledger lists no file"
    for row in ledger:  # one object per file, with its per-dataset breakdown
        assert row["rows_in"] == row["rows_loaded"] + row["rows_quarantined"], row["file_path"]
        for part in row["datasets"]:
            assert part["rows_in"] == part["rows_loaded"] + part["rows_quarantined"], part
    return seconds


@pytest.mark.slow
@pytest.mark.seconds(110)
def test_small_profile_with_another_seed_equals_truth(tmp_path: Path) -> None:
    """Any seed, not just the committed one (42), on a profile larger than demo: the KPIs equal
    truth.json and the ledger conserves every file's rows."""
    seconds = _generate_build_compare(tmp_path, "small", 7)
    print(f"small profile, seed 7, build: {seconds:.0f} s")
