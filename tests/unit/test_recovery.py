"""What a killed build leaves behind is recognised and cleared; one build per data folder."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import polars as pl
import pytest
from dagster import DagsterInstance, DagsterRunStatus
from dagster._core.storage.dagster_run import DagsterRun

from orchestration import recovery
from orchestration.ingest.files import temp_prefix, write_parquet_atomic
from orchestration.serving.snapshot import temp_path_for


def dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_temp_names_carry_their_writer() -> None:
    out = Path("/d/serving.duckdb")
    assert recovery.temp_owner(temp_path_for(out, 4242).name) == 4242
    assert recovery.temp_owner(temp_path_for(out, 4242).name + ".wal") == 4242
    assert recovery.temp_owner(temp_prefix(Path("/d/x.parquet")) + "ab12cd.tmp") == os.getpid()
    assert recovery.temp_owner("x.parquet") is None
    assert recovery.temp_owner("serving.duckdb") is None
    assert recovery.temp_owner("warehouse.duckdb.wal") is None


def test_only_the_temp_files_of_dead_writers_are_removed(tmp_path: Path) -> None:
    dead, alive = dead_pid(), os.getpid()
    bronze = tmp_path / "bronze" / "pm_counters" / "day=2026-01-01"
    bronze.mkdir(parents=True)
    stale = [
        bronze / f".k1.parquet.{dead}.q9w8e7.tmp",
        tmp_path / "ledger" / f".k1.parquet.{dead}.zz.tmp",
        tmp_path / f"serving.duckdb.tmp-{dead}",
        tmp_path / f"serving.duckdb.tmp-{dead}.wal",
    ]
    kept = [
        bronze / "k1.parquet",
        bronze / f".k2.parquet.{alive}.in-flight.tmp",
        tmp_path / f"serving.duckdb.tmp-{alive}",
        tmp_path / "warehouse.duckdb.wal",
        tmp_path / "dagster" / "storage" / f".x.{dead}.y.tmp",  # Dagster's own, not ours
    ]
    for path in stale + kept:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"x")
    assert recovery.remove_stale_temp_files(tmp_path) == sorted(stale)
    assert all(p.exists() for p in kept) and not any(p.exists() for p in stale)


def test_old_per_run_dbt_targets_are_pruned(tmp_path: Path) -> None:
    now = time.time()
    folders = {}
    for i in range(8):
        folder = tmp_path / f"itot_dbt_models-{i:07x}-abcdef{i}"
        folder.mkdir()
        (folder / "manifest.json").write_text("{}")
        age = 7200 + i * 60 if i >= 2 else 60  # the two newest were used a minute ago
        os.utime(folder, (now - age, now - age))
        folders[i] = folder
    (tmp_path / "manifest.json").write_text("{}")  # the project's own files stay
    (tmp_path / "compiled").mkdir()
    old = recovery.old_dbt_targets(tmp_path, keep=3, now=now)
    assert old == sorted(folders[i] for i in (3, 4, 5, 6, 7))
    recovery.prune_dbt_targets(tmp_path, keep=3)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        ["manifest.json", "compiled", *(folders[i].name for i in (0, 1, 2))]
    )


def test_atomic_writes_leave_no_temp_file(tmp_path: Path) -> None:
    write_parquet_atomic(pl.DataFrame({"a": [1]}), tmp_path / "t.parquet")
    assert [p.name for p in tmp_path.iterdir()] == ["t.parquet"]


def test_a_second_build_of_the_same_folder_is_refused(tmp_path: Path) -> None:
    with recovery.BuildLock(tmp_path):
        with pytest.raises(recovery.BuildBusy, match=f"pid {os.getpid()}"):
            with recovery.BuildLock(tmp_path):
                pass
    with recovery.BuildLock(tmp_path):  # released on exit
        pass


def test_a_killed_holder_leaves_no_stale_lock(tmp_path: Path) -> None:
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from pathlib import Path; from orchestration import recovery\n"
            "with recovery.BuildLock(Path(sys.argv[1])):\n"
            "    print('locked', flush=True); time.sleep(60)",
            str(tmp_path),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "locked"
        with pytest.raises(recovery.BuildBusy):
            with recovery.BuildLock(tmp_path):
                pass
    finally:
        holder.send_signal(signal.SIGKILL)
        holder.wait()
    deadline = time.monotonic() + 5
    while True:
        try:
            with recovery.BuildLock(tmp_path):
                break
        except recovery.BuildBusy:
            assert time.monotonic() < deadline, "lock not released after its holder died"
            time.sleep(0.05)


def test_runs_of_dead_build_processes_are_reported_failed(tmp_path: Path) -> None:
    host = socket.gethostname()
    runs = {
        "dead": ({recovery.PID_TAG: str(dead_pid()), recovery.HOST_TAG: host}, "STARTED"),
        "alive": ({recovery.PID_TAG: str(os.getpid()), recovery.HOST_TAG: host}, "STARTED"),
        "elsewhere": ({recovery.PID_TAG: "1", recovery.HOST_TAG: "another-host"}, "STARTED"),
        "untagged": ({}, "STARTED"),
        "done": ({recovery.PID_TAG: str(dead_pid()), recovery.HOST_TAG: host}, "SUCCESS"),
    }
    ids = {name: f"{i:08d}-0000-0000-0000-000000000000" for i, name in enumerate(runs)}
    with DagsterInstance.local_temp(str(tmp_path)) as instance:
        for name, (tags, status) in runs.items():
            instance.add_run(
                DagsterRun(
                    job_name="__ASSET_JOB",
                    run_id=ids[name],
                    status=DagsterRunStatus[status],
                    tags=tags,
                )
            )
        assert recovery.fail_orphaned_runs(instance) == [ids["dead"]]
        status = {name: instance.get_run_by_id(ids[name]).status.value for name in runs}
    assert status == {
        "dead": "FAILURE",
        "alive": "STARTED",
        "elsewhere": "STARTED",
        "untagged": "STARTED",
        "done": "SUCCESS",
    }
