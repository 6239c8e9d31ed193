"""What a killed build leaves behind, and how the next build clears it.

A build can die at any moment (SIGKILL, power loss). Its writes are atomic (temp file + rename),
so what it leaves is never a half-read file but:
- temp files of its atomic writes: `.<name>.<pid>.<random>.tmp` (Parquet) and
  `serving.duckdb.tmp-<pid>` (+ `.wal`), named with the writer's pid;
- a Dagster run stuck in STARTED, since nobody reported its end.
The next build removes the temp files of writers that are no longer alive and reports those runs
failed. DuckDB's own write-ahead log (`warehouse.duckdb.wal`) is replayed by DuckDB itself.
It also prunes the per-run folders dagster-dbt leaves in `dbt_project/target/` (about 5 MB a
run, never removed otherwise), keeping the newest and any touched within the last hour.

`BuildLock` keeps two builds off one data folder: an `flock` on `<data>/.build.lock`, released by
the kernel when the holder dies, so a crash never leaves a stale lock.
"""

from __future__ import annotations

import fcntl
import os
import re
import shutil
import socket
import time
from pathlib import Path

PARQUET_TEMP = re.compile(r"^\..+\.(?P<pid>\d+)\.[^./]+\.tmp$")
SNAPSHOT_TEMP = re.compile(r"^.+\.tmp-(?P<pid>\d+)(\.wal)?$")
LOCK_FILE = ".build.lock"
PID_TAG = "itot/build_pid"
HOST_TAG = "itot/build_host"
UNFINISHED = ("NOT_STARTED", "STARTING", "STARTED", "CANCELING")


DBT_RUN_TARGET = re.compile(r"^[A-Za-z0-9_]+-[0-9a-f]{7}-[0-9a-f]{7}$")  # <op>-<run>-<hash>
KEEP_DBT_TARGETS = 5
RECENT_SECONDS = 3600.0


class BuildBusy(RuntimeError):
    """Another build holds the data folder."""


def pid_alive(pid: int) -> bool:
    """Whether a process with this pid exists on this machine."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, owned by someone else
        return True
    return True


def temp_owner(name: str) -> int | None:
    """The pid that wrote a temp file of ours, from its name; None if it is not one."""
    match = PARQUET_TEMP.match(name) or SNAPSHOT_TEMP.match(name)
    return int(match.group("pid")) if match else None


def stale_temp_files(data: Path) -> list[Path]:
    """Temp files under `data` (not Dagster's folder) whose writer is no longer alive."""
    if not data.exists():
        return []
    stale: list[Path] = []
    for dirpath, dirnames, filenames in os.walk(data):
        if Path(dirpath) == data:
            dirnames[:] = [d for d in dirnames if d != "dagster"]
        for name in filenames:
            pid = temp_owner(name)
            if pid is not None and not pid_alive(pid):
                stale.append(Path(dirpath) / name)
    return sorted(stale)


def remove_stale_temp_files(data: Path) -> list[Path]:
    """Remove what `stale_temp_files` finds; returns the removed paths."""
    removed = []
    for path in stale_temp_files(data):
        try:
            path.unlink()
        except FileNotFoundError:
            continue
        removed.append(path)
    return removed


def old_dbt_targets(
    target_dir: Path, keep: int = KEEP_DBT_TARGETS, now: float | None = None
) -> list[Path]:
    """Per-run dbt target folders beyond the newest `keep`, untouched for RECENT_SECONDS (a
    build of another data folder may be using a recent one)."""
    if not target_dir.is_dir():
        return []
    now = time.time() if now is None else now
    runs = [p for p in target_dir.iterdir() if p.is_dir() and DBT_RUN_TARGET.match(p.name)]
    runs.sort(key=lambda p: p.stat().st_mtime, reverse=True)
    return sorted(p for p in runs[keep:] if now - p.stat().st_mtime > RECENT_SECONDS)


def prune_dbt_targets(target_dir: Path, keep: int = KEEP_DBT_TARGETS) -> list[Path]:
    """Remove what `old_dbt_targets` finds; returns the removed folders."""
    removed = []
    for path in old_dbt_targets(target_dir, keep):
        shutil.rmtree(path, ignore_errors=True)
        removed.append(path)
    return removed


def run_tags() -> dict[str, str]:
    """Tags a build's Dagster run carries so that a later build can tell it died."""
    return {PID_TAG: str(os.getpid()), HOST_TAG: socket.gethostname()}


def fail_orphaned_runs(instance) -> list[str]:
    """Report failed every unfinished run of a build process of this host that has died.

    Returns the run ids reported."""
    from dagster import DagsterRunStatus, RunsFilter

    statuses = [DagsterRunStatus[name] for name in UNFINISHED]
    runs = instance.get_runs(
        filters=RunsFilter(statuses=statuses, tags={HOST_TAG: socket.gethostname()})
    )
    reported = []
    for run in runs:
        pid = run.tags.get(PID_TAG, "")
        if pid.isdigit() and not pid_alive(int(pid)):
            instance.report_run_failed(
                run, f"build process {pid} died before the run ended (killed or crashed)"
            )
            reported.append(run.run_id)
    return reported


class BuildLock:
    """Exclusive hold on a data folder for one build (non-blocking: raises BuildBusy)."""

    def __init__(self, data: Path) -> None:
        self.path = data / LOCK_FILE
        self._fd: int | None = None

    def __enter__(self) -> BuildLock:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 64, 0).decode("ascii", "replace").strip() or "?"
            os.close(fd)
            raise BuildBusy(
                f"another build is writing {self.path.parent} (pid {holder}); wait for it to finish"
            ) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode("ascii"), 0)
        self._fd = fd
        return self

    def __exit__(self, *exc: object) -> None:
        if self._fd is not None:
            os.ftruncate(self._fd, 0)
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None
