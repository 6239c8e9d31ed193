"""The `itot` command's front door: bad input gives one line and a non-zero exit, never a
traceback."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parents[1] / "fixtures"


def run_itot(
    *args: str, env: dict[str, str] | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "orchestration.cli", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        cwd=cwd,
    )


def assert_one_line_error(result: subprocess.CompletedProcess, fragment: str) -> None:
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("itot: error:")
    assert fragment in lines[0]


def test_unknown_profile(tmp_path: Path) -> None:
    result = run_itot("generate", "--profile", "huge", "--out", str(tmp_path / "x"))
    assert_one_line_error(result, "unknown profile 'huge'")


def test_build_missing_landing(tmp_path: Path) -> None:
    result = run_itot("build", "--landing", str(tmp_path / "nope"), "--data", str(tmp_path / "d"))
    assert_one_line_error(result, "does not exist")


def test_build_empty_landing(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    result = run_itot("build", "--landing", str(tmp_path / "empty"), "--data", str(tmp_path / "d"))
    assert_one_line_error(result, "holds no source files")


def test_build_landing_is_a_file(tmp_path: Path) -> None:
    afile = tmp_path / "file.txt"
    afile.write_text("x")
    result = run_itot("build", "--landing", str(afile), "--data", str(tmp_path / "d"))
    assert_one_line_error(result, "is not a folder")


@pytest.mark.parametrize("command", ["kpis", "ledger"])
def test_read_commands_without_a_build(tmp_path: Path, command: str) -> None:
    result = run_itot(command, "--data", str(tmp_path / "never-built"))
    assert_one_line_error(result, "itot build")


def test_help_lists_every_command() -> None:
    result = run_itot("--help")
    assert result.returncode == 0
    for command in ("generate", "inspect", "build", "kpis", "ledger", "serve"):
        assert command in result.stdout


@pytest.mark.parametrize("problem", ["missing", "file", "empty"])
def test_inspect_bad_landing(tmp_path: Path, problem: str) -> None:
    landing = tmp_path / problem
    if problem == "file":
        landing.write_text("x")
    elif problem == "empty":
        landing.mkdir()
    result = run_itot("inspect", "--landing", str(landing))
    fragment = {"missing": "does not exist", "file": "is not a folder", "empty": "no source files"}
    assert_one_line_error(result, fragment[problem])


@pytest.fixture()
def mixed_landing(tmp_path: Path) -> Path:
    """The fixture zone plus the gotchas: VES batches feeding several datasets, quarantined
    records and files, a file of no format."""
    landing = tmp_path / "landing"
    shutil.copytree(FIXTURES / "landing", landing / "zone")
    shutil.copytree(FIXTURES / "gotchas", landing / "gotchas")
    return landing


def test_inspect_prints_what_itot_ledger_prints_after_the_build(
    mixed_landing: Path, tmp_path: Path
) -> None:
    """`itot inspect --json` before ingest == `itot ledger --json` after it; inspect writes
    nothing, neither in the landing zone nor in the data folder ($ITOT_DATA) nor where it runs."""
    from orchestration.ingest.landing import scan_landing
    from orchestration.ingest.run import ingest_dataset
    from orchestration.sources import DATASETS

    data, cwd = tmp_path / "data", tmp_path / "cwd"
    cwd.mkdir()
    before = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
    env = {**os.environ, "ITOT_DATA": str(data), "ITOT_LANDING": str(mixed_landing)}
    inspected = run_itot("inspect", "--json", env=env, cwd=cwd)
    assert inspected.returncode == 0, inspected.stderr  # files are quarantined: still 0
    assert sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*")) == before

    scan_landing(mixed_landing, data)
    for dataset in DATASETS:
        ingest_dataset(dataset, mixed_landing, data)
    ledger = run_itot("ledger", "--json", "--data", str(data))
    assert ledger.returncode == 0, ledger.stderr
    files = json.loads(inspected.stdout)
    assert files == json.loads(ledger.stdout)
    ves = next(f for f in files if f["file_path"] == "gotchas/ves_lines.ndjson")
    assert [d["dataset"] for d in ves["datasets"]] == ["alarm_events", "pm_counters"]
    assert any(f["status"] == "quarantined" for f in files)


def test_inspect_human_output_and_progress(mixed_landing: Path) -> None:
    result = run_itot("inspect", "--landing", str(mixed_landing), "--progress-every", "5")
    assert result.returncode == 0, result.stderr
    files = [p for p in mixed_landing.rglob("*") if p.is_file() and p.name != "truth.json"]
    progress = [line for line in result.stderr.splitlines() if "files read" in line]
    assert len(progress) == len(files) // 5 + (1 if len(files) % 5 else 0)
    assert progress[-1].endswith(f"{len(files)}/{len(files)} files read")
    for line in ("gotchas/unknown.json", "unrecognised format", "Per dataset", "pm_counters"):
        assert line in result.stdout
    quiet = run_itot("inspect", "--landing", str(mixed_landing), "--quiet")
    assert quiet.returncode == 0 and quiet.stderr == ""
