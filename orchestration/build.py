"""`itot build`: materialise every asset of the Dagster code location in this process.

The run goes through the same Definitions the UI loads and is recorded in the same instance
(`DAGSTER_HOME` = `<data>/dagster`), so a build from the command line shows up in the UI's runs.

One build at a time per data folder (`recovery.BuildLock`). A build first clears what a killed
build left (temp files of dead writers, runs stuck in STARTED; see `orchestration.recovery`).
"""

from __future__ import annotations

import contextlib
import importlib
import os
import sys
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from orchestration import engine, paths, recovery

DEFINITIONS_MODULE = "orchestration.definitions"
_POLL_SECONDS = 0.25
# Dagster's own console logger would print every event; progress lines replace it.
_QUIET_RUN_CONFIG = {"loggers": {"console": {"config": {"log_level": "WARNING"}}}}


class BuildError(RuntimeError):
    """The build run failed; the message names the failed steps and where to look."""


@dataclass(frozen=True)
class BuildResult:
    """What one build did."""

    run_id: str
    landing: Path
    data: Path
    seconds: float
    materialized: list[str] = field(default_factory=list)
    checks_passed: int = 0
    checks_failed: int = 0
    blocked: str = ""  # `BLOCKED: <dataset> blocked by <check>: ...` (empty when none is)
    stale_models: int = 0  # dbt models the blocked datasets held back

    @property
    def summary(self) -> str:
        return (
            f"{len(self.materialized)} assets materialised, {self.checks_passed} checks passed, "
            f"{self.checks_failed} failed, in {self.seconds:.1f} s (run {self.run_id})"
        )


def build_environment(landing: Path, data: Path) -> dict[str, str]:
    """The env vars a build runs with: absolute landing and data folders, and DAGSTER_HOME."""
    landing, data = landing.resolve(), data.resolve()
    return {
        paths.LANDING_ENV: str(landing),
        paths.DATA_ENV: str(data),
        paths.DAGSTER_HOME_ENV: str(paths.dagster_home(data)),
    }


def progress_line(event_type: str, step_key: str | None, asset: str | None) -> str | None:
    """The progress line for one Dagster event, or None for events not worth a line."""
    if event_type == "STEP_START":
        return f"  started  {step_key}"
    if event_type == "ASSET_MATERIALIZATION" and asset:
        return f"  done     {asset}"
    if event_type == "STEP_FAILURE":
        return f"  FAILED   {step_key}"
    return None


class _ProgressPrinter:
    """Polls the run's event log in a thread and prints a line per started step and asset."""

    def __init__(self, instance, run_id: str, emit: Callable[[str], None]) -> None:
        self._instance, self._run_id, self._emit = instance, run_id, emit
        self._cursor: str | None = None
        self._shown: set[str] = set()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="itot-build-progress", daemon=True)

    def __enter__(self) -> _ProgressPrinter:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self._drain()

    def _loop(self) -> None:
        while not self._stop.wait(_POLL_SECONDS):
            self._drain()

    def _drain(self) -> None:
        try:
            result = self._instance.get_records_for_run(self._run_id, cursor=self._cursor)
        except Exception:  # the run may not be stored yet
            return
        self._cursor = result.cursor
        for record in result.records:
            event = record.event_log_entry.dagster_event
            if event is None:
                continue
            asset_key = getattr(event, "asset_key", None)
            line = progress_line(
                event.event_type_value,
                event.step_key,
                asset_key.to_user_string() if asset_key else None,
            )
            if line and line not in self._shown:  # one line per asset, not per day partition
                self._shown.add(line)
                self._emit(line)


def build_log_path(data: Path, run_id: str) -> Path:
    """Where a build's step output (dbt's log lines) goes: `<data>/dagster/build_logs/<run>.log`."""
    return paths.dagster_home(data) / "build_logs" / f"{run_id}.log"


def load_definitions():
    """The Definitions object the UI loads (`orchestration.definitions.defs`)."""
    return importlib.import_module(DEFINITIONS_MODULE).defs


def build_all(
    landing: Path, data: Path, *, progress: bool = True, days: tuple[str, str] | None = None
) -> BuildResult:
    """Materialise every asset (ingest, dbt with its tests, serving snapshot) in this process.

    `days` (first, last; YYYY-MM-DD, inclusive): a run of those daily partitions instead of
    everything: the dated bronze assets ingest only the files touching those days and dbt gets
    them as `from_day`/`to_day`; unpartitioned assets run whole.
    Sets ITOT_LANDING, ITOT_DATA and DAGSTER_HOME in `os.environ` (the dbt subprocess inherits
    them). Raises BuildError if any step fails.
    """
    environment = build_environment(landing, data)
    landing, data = Path(environment[paths.LANDING_ENV]), Path(environment[paths.DATA_ENV])
    try:
        with recovery.BuildLock(data):
            os.environ.update(environment)
            return _build_locked(landing, data, progress, days)
    except recovery.BuildBusy as exc:
        raise BuildError(str(exc)) from exc


def partition_arguments(days: tuple[str, str] | None) -> dict:
    """execute_in_process arguments for a run of the days `days` (none for a full build)."""
    if days is None:
        return {}
    from orchestration.defs.partitions import (
        FIRST_DAY,
        FIRST_DAY_ENV,
        RANGE_END_TAG,
        RANGE_START_TAG,
    )

    first, last = days
    if last < first:
        raise BuildError(f"--to-day {last} is before --from-day {first}")
    if first < FIRST_DAY:
        raise BuildError(
            f"--from-day {first} is before the first daily partition {FIRST_DAY} (the earliest "
            f"day built); build everything, or set {FIRST_DAY_ENV}={first}"
        )
    if first == last:
        return {"partition_key": first}
    return {"tags": {RANGE_START_TAG: first, RANGE_END_TAG: last}}


def _build_locked(
    landing: Path, data: Path, progress: bool, days: tuple[str, str] | None
) -> BuildResult:
    from dagster import DagsterInstance

    home = paths.prepare_dagster_home(data)

    job = load_definitions().resolve_implicit_global_asset_job_def()
    run_id = str(uuid.uuid4())
    console = sys.stdout
    emit = (lambda line: print(line, file=console, flush=True)) if progress else (lambda _: None)
    log_path = build_log_path(data, run_id)
    log_path.parent.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    partition = partition_arguments(days)
    what = f" (days {days[0]} to {days[1]})" if days else ""
    emit(f"building {landing} -> {data} on {engine.current_engine()}{what}")
    for path in recovery.remove_stale_temp_files(data):
        emit(f"  removed  {path.relative_to(data)} (left by a killed build)")
    recovery.prune_dbt_targets(paths.repo_root() / "dbt_project" / "target")
    # dagster-dbt echoes every dbt log line to stdout: keep them in the build log instead.
    with (
        log_path.open("w", encoding="utf-8") as log,
        contextlib.redirect_stdout(log),
        DagsterInstance.get() as instance,
        _ProgressPrinter(instance, run_id, emit),
    ):
        for orphan in recovery.fail_orphaned_runs(instance):
            emit(f"  marked run {orphan} failed (its build process died)")
        result = job.execute_in_process(
            instance=instance,
            run_id=run_id,
            raise_on_error=False,
            run_config=_QUIET_RUN_CONFIG,
            partition_key=partition.get("partition_key"),
            tags={**recovery.run_tags(), **partition.get("tags", {})},
        )
    seconds = time.monotonic() - started

    if not result.success:
        failed = [
            f"{event.step_key}: {event.step_failure_data.error.message.strip().splitlines()[0]}"
            for event in result.all_events
            if event.is_step_failure and event.step_failure_data and event.step_failure_data.error
        ]
        raise BuildError(
            f"build run {run_id} failed after {seconds:.1f} s"
            + ("".join(f"\n  {line}" for line in failed) or "")
            + f"\n  dbt and step output: {log_path}"
            + f"\n  run history: DAGSTER_HOME={home} dagster dev, run {run_id}"
        )

    evaluations = [
        e.asset_check_evaluation_data
        for e in result.all_events
        if e.event_type_value == "ASSET_CHECK_EVALUATION"
    ]
    built = BuildResult(
        run_id=run_id,
        landing=landing,
        data=data,
        seconds=seconds,
        materialized=sorted(
            {e.asset_key.to_user_string() for e in result.all_events if e.is_step_materialization}
        ),
        checks_passed=sum(1 for e in evaluations if e.passed),
        checks_failed=sum(1 for e in evaluations if not e.passed),
        **_blocked(data),
    )
    emit(built.summary)
    return built


def _blocked(data: Path) -> dict:
    """What the blocked datasets held back in this build (nothing when none is blocked)."""
    from orchestration.quality.blocking import blocked_datasets, read_stale_models, summary_line
    from orchestration.quality.results import read_results

    return {
        "blocked": summary_line(blocked_datasets(read_results(data))),
        "stale_models": read_stale_models(data).height,
    }
