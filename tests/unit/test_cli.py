"""The `itot` command's front door: bad input gives one line and a non-zero exit, never a
traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest


def run_itot(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "orchestration.cli", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
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
    for command in ("generate", "build", "kpis", "ledger", "serve"):
        assert command in result.stdout
