"""`itot build` killed (SIGKILL to its process group) at several moments leaves the serving
snapshot exactly as it was and readable; the next build clears what the kills left and completes.

The kills run one after another on one data folder that already holds a good build, as a crashing
scheduler would: 1 s after start, in the middle of ingest, in the middle of dbt, and while the new
snapshot is being written (the temp snapshot file exists). Each kill must land while the build is
still running, or the test fails: a kill that comes too late proves nothing.
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

from orchestration import paths, recovery
from orchestration.serving import read_kpis
from orchestration.serving.fingerprint import mart_hashes

pytestmark = pytest.mark.integration

ITOT = Path(sys.executable).parent / "itot"
BUILD_TIMEOUT = 900.0


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@dataclass
class Build:
    """An `itot build` subprocess in its own process group, its output lines timestamped."""

    proc: subprocess.Popen
    started: float
    lines: list[tuple[float, str]]

    @classmethod
    def start(cls, landing: Path, data: Path) -> Build:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("ITOT_", "DAGSTER_"))}
        proc = subprocess.Popen(
            [str(ITOT), "build", "--landing", str(landing), "--data", str(data)],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
            env=env,
        )
        build = cls(proc, time.monotonic(), [])
        threading.Thread(target=build._read, daemon=True).start()
        return build

    def _read(self) -> None:
        for line in self.proc.stdout:
            self.lines.append((time.monotonic() - self.started, line.rstrip()))

    def elapsed(self) -> float:
        return time.monotonic() - self.started

    def saw(self, text: str) -> bool:
        return any(text in line for _, line in self.lines)

    def wait_for(self, condition: Callable[[], bool], poll: float = 0.01) -> None:
        while not condition():
            assert self.proc.poll() is None, f"build ended before the kill point:\n{self.output}"
            assert self.elapsed() < BUILD_TIMEOUT, "kill point never reached"
            time.sleep(poll)

    def kill(self) -> float:
        """SIGKILL the whole process group (the build and its dbt child); the kill time."""
        assert self.proc.poll() is None, f"build ended before the kill:\n{self.output}"
        at = self.elapsed()
        os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=30)
        assert self.proc.returncode == -signal.SIGKILL
        return at

    def finish(self) -> int:
        return self.proc.wait(timeout=BUILD_TIMEOUT)

    @property
    def output(self) -> str:
        return "\n".join(line for _, line in self.lines)


def _after_seconds(seconds: float) -> Callable[[Build, Path], None]:
    def wait(build: Build, data: Path) -> None:
        build.wait_for(lambda: build.elapsed() >= seconds)

    return wait


def _after_line(text: str, delay: float) -> Callable[[Build, Path], None]:
    def wait(build: Build, data: Path) -> None:
        build.wait_for(lambda: build.saw(text))
        time.sleep(delay)

    return wait


def _while_publishing(build: Build, data: Path) -> None:
    temp = recovery.SNAPSHOT_TEMP
    build.wait_for(lambda: any(temp.match(p.name) for p in data.iterdir()), poll=0.002)


KILL_POINTS = (
    ("1 s after start", _after_seconds(1.0)),
    ("mid-ingest (bronze_pm_counters)", _after_line("started  bronze_pm_counters", 0.3)),
    ("mid-dbt (after stg_network__pm_counters)", _after_line("stg_network__pm_counters", 0.2)),
    ("during publish (temp snapshot written)", _while_publishing),
)


def _unfinished_runs(data: Path) -> list[str]:
    from dagster import DagsterInstance, DagsterRunStatus, RunsFilter

    with DagsterInstance.from_config(str(paths.dagster_home(data))) as instance:
        statuses = [DagsterRunStatus[s] for s in recovery.UNFINISHED]
        return [r.run_id for r in instance.get_runs(filters=RunsFilter(statuses=statuses))]


@pytest.mark.seconds(230)
def test_killed_builds_leave_the_snapshot_as_it_was(demo_copy) -> None:
    landing, data = demo_copy
    snapshot = paths.serving_path(data)
    digest, kpis, marts = _sha256(snapshot), read_kpis(snapshot), mart_hashes(snapshot)
    report: list[str] = []

    for name, wait in KILL_POINTS:
        build = Build.start(landing, data)
        wait(build, data)
        at = build.kill()
        last = build.lines[-1][1].strip() if build.lines else "(no output yet)"
        identical = _sha256(snapshot) == digest
        report.append(f"{name}: killed at {at:.2f} s, last line {last!r}, identical={identical}")
        assert identical, report[-1]
        con = duckdb.connect(str(snapshot), read_only=True)
        con.close()
        assert read_kpis(snapshot) == kpis

    leftovers = recovery.stale_temp_files(data)
    orphans = _unfinished_runs(data)
    report.append(f"left by the kills: {[p.name for p in leftovers]}, {len(orphans)} runs STARTED")

    build = Build.start(landing, data)
    assert build.finish() == 0, build.output
    report.append(f"next build: completed in {build.elapsed():.1f} s")
    print("\n".join(report))

    assert recovery.stale_temp_files(data) == []
    assert _unfinished_runs(data) == []
    for orphan in orphans:
        assert f"marked run {orphan} failed" in build.output
    truth = json.loads((landing / "truth.json").read_text(encoding="utf-8"))["kpis"]
    assert read_kpis(snapshot) == truth
    assert mart_hashes(snapshot) == marts
