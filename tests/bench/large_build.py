"""Build cost per profile: generate + build seconds, per stage seconds, peak memory, new-day cost.

    uv run python tests/bench/large_build.py [--profiles demo,small,large] [--seed 11]
        [--work DIR] [--limit-gb 12] [--write docs/benchmarks.md] [--pages] [--landing DIR]

For each profile, in a work folder (default /tmp/itot-bench):

1. `itot generate --profile P --seed S` and `itot build`, each a separate process whose whole
   process tree (the build, dbt's subprocess, ingest workers) is sampled every 0.5 s for its
   summed resident memory (`proc_tree`): wall seconds and peak RSS. `--limit-gb` kills a tree
   that grows beyond it (a guard on a shared machine; the run is then reported as killed).
2. Per stage seconds from the build's Dagster run (step start to step end): the landing scan,
   each bronze dataset's ingest, the GX checks, dbt (and the slowest dbt models from dbt's
   run_results.json), the serving snapshot. Rows per second: rows read (loaded + quarantined,
   from the ingest ledger) over the ingest steps' seconds.
3. KPIs against truth.json (tests/kpi_truth.py rules): how many of the contract's keys match.
   The build runs without the last day's own files (PM, alarms, usage of day D; `tests/new_day`).
4. A new day: those files are delivered and `itot build` runs again (it ingests the new files
   only and rebuilds the dbt models they reach), wall and CPU seconds and peak RSS, as a share
   of the first build. KPIs are then compared with the truth (all days built).
5. With `--pages`: tests/bench/dashboard_queries.py on the built data (query p95 per page).

Prints one table; `--write` replaces the generated section of that Markdown file (between the
`<!-- bench:start -->` and `<!-- bench:end -->` markers) with the table and the machine it ran on
(CPU model, cores, memory, load average at the start).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.bench.proc_tree import run_measured  # noqa: E402
from tests.kpi_truth import CONTRACT_KEYS, kpi_mismatches  # noqa: E402
from tests.new_day import deliver, hold_back, last_day  # noqa: E402

START, END = "<!-- bench:start -->", "<!-- bench:end -->"
GIB = 2**30


@dataclass
class ProfileRun:
    """Measured figures of one profile (seconds, bytes, rows)."""

    profile: str
    landing_bytes: int = 0
    generate_s: float = 0.0
    generate_cpu: float = 0.0
    generate_peak: int = 0
    build_s: float = 0.0
    build_cpu: float = 0.0
    build_peak: int = 0
    build_ok: bool = False
    stages: dict[str, float] = field(default_factory=dict)
    dbt_models: list[tuple[str, float]] = field(default_factory=list)
    rows_read: int = 0
    kpis_equal: int = 0
    kpis_total: int = 0
    new_day: str = ""
    new_day_s: float = 0.0
    new_day_cpu: float = 0.0
    new_day_peak: int = 0
    snapshot_bytes: int = 0
    notes: list[str] = field(default_factory=list)


def itot(*args: str) -> list[str]:
    """The `itot` command of this checkout's environment."""
    return [sys.executable, "-m", "orchestration.cli", *args]


def folder_bytes(root: Path) -> int:
    return sum(p.stat().st_size for p in root.rglob("*") if p.is_file())


def step_seconds(data: Path) -> dict[str, float]:
    """{step key: seconds} of the latest run in the data folder's Dagster instance."""
    os.environ["DAGSTER_HOME"] = str(data / "dagster")
    from dagster import DagsterEventType, DagsterInstance, RunsFilter

    with DagsterInstance.get() as instance:
        runs = instance.get_runs(RunsFilter(), limit=1)
        if not runs:
            return {}
        starts: dict[str, float] = {}
        out: dict[str, float] = {}
        for entry in instance.all_logs(runs[0].run_id):
            event = entry.dagster_event
            if event is None or event.step_key is None:
                continue
            if event.event_type == DagsterEventType.STEP_START:
                starts[event.step_key] = entry.timestamp
            elif event.event_type in (DagsterEventType.STEP_SUCCESS, DagsterEventType.STEP_FAILURE):
                if event.step_key in starts:
                    out[event.step_key] = entry.timestamp - starts[event.step_key]
        return out


def stage_totals(steps: dict[str, float]) -> dict[str, float]:
    """Steps grouped into the build's stages: scan, ingest (all bronze datasets), one entry per
    bronze dataset, GX checks, dbt, snapshot, other."""
    stages: dict[str, float] = {}
    for key, seconds in sorted(steps.items()):
        if key.startswith("bronze_quality") or "quality" in key:
            name = "GX checks"
        elif key.startswith("bronze_"):
            name = f"ingest {key.removeprefix('bronze_')}"
            stages["ingest (all)"] = stages.get("ingest (all)", 0.0) + seconds
        elif "dbt" in key:
            name = "dbt"
        elif "snapshot" in key or "serving" in key:
            name = "snapshot"
        elif "landing" in key:
            name = "landing scan"
        else:
            name = f"other {key}"
        stages[name] = stages.get(name, 0.0) + seconds
    return stages


def slowest_dbt_models(since: float, top: int = 8) -> list[tuple[str, float]]:
    """The `top` slowest dbt nodes of the newest run_results.json written after `since`."""
    target = ROOT / "dbt_project" / "target"
    found = [p for p in target.rglob("run_results.json") if p.stat().st_mtime >= since]
    if not found:
        return []
    results = json.loads(max(found, key=lambda p: p.stat().st_mtime).read_text())["results"]
    timed = [(r["unique_id"].split(".")[-1], float(r["execution_time"])) for r in results]
    return sorted(timed, key=lambda item: -item[1])[:top]


def rows_read(data: Path) -> int:
    from orchestration.ingest.ledger import read_ledger

    ledger = read_ledger(data)
    if ledger.height == 0:
        return 0
    cols = [c for c in ("rows_loaded", "rows_quarantined") if c in ledger.columns]
    return int(sum(ledger[c].fill_null(0).sum() for c in cols))


def kpi_score(data: Path, truth_path: Path) -> tuple[int, int]:
    """(contract keys equal to the truth, contract keys)."""
    out = subprocess.run(
        itot("kpis", "--data", str(data), "--json"), capture_output=True, text=True, check=False
    )
    if out.returncode != 0:
        return 0, len(CONTRACT_KEYS)
    got = json.loads(out.stdout)
    want = json.loads(truth_path.read_text())["kpis"]
    equal = sum(1 for key in CONTRACT_KEYS if not kpi_mismatches(key, got.get(key), want.get(key)))
    return equal, len(CONTRACT_KEYS)


def _load() -> str:
    return "/".join(f"{x:.1f}" for x in os.getloadavg())


def run_profile(
    profile: str, seed: int, work: Path, limit_gb: float, pages: bool, landing: Path | None = None
) -> ProfileRun:
    run = ProfileRun(profile)
    data = work / profile / "data"
    shutil.rmtree(work / profile, ignore_errors=True)
    (work / profile).mkdir(parents=True)
    log = (work / f"{profile}.log").open("w")
    kw = {"stdout": log, "stderr": subprocess.STDOUT, "cwd": ROOT}

    if landing is None:
        landing = work / profile / "landing"
        cmd = itot("generate", "--profile", profile, "--seed", str(seed), "--out", str(landing))
        gen = run_measured([*cmd, "--quiet"], limit_gb=limit_gb, **kw)
        run.generate_s, run.generate_cpu, run.generate_peak = gen.wall_s, gen.cpu_s, gen.peak
        if gen.code != 0:
            run.notes.append(f"generate failed ({gen.code})")
            return run
    else:
        run.notes.append(f"landing zone reused from {landing} (not generated in this run)")
    run.landing_bytes = folder_bytes(landing)

    # The operator is built without the last day's own files, which then arrive: a new day.
    day = last_day(landing)
    side = work / profile / "new_day"
    held = hold_back(landing, day, side)
    run.new_day = day.isoformat()
    try:
        started = time.time()
        build = itot("build", "--landing", str(landing), "--data", str(data))
        load = _load()
        built = run_measured(build, limit_gb=limit_gb, **kw)
        run.notes.append(f"build: load average {load} at start, {_load()} at end")
        run.build_s, run.build_cpu, run.build_peak = built.wall_s, built.cpu_s, built.peak
        run.build_ok = built.code == 0
        if built.killed:
            run.notes.append(f"build killed above {limit_gb} GB")
        run.stages = stage_totals(step_seconds(data))
        run.dbt_models = slowest_dbt_models(started)
        if not run.build_ok:
            run.notes.append(f"build failed ({built.code}); see {work / profile}.log")
            return run
        run.rows_read = rows_read(data)
    finally:
        deliver(side, landing, held)

    load = _load()
    one = run_measured(build, limit_gb=limit_gb, **kw)
    run.new_day_s, run.new_day_cpu, run.new_day_peak = one.wall_s, one.cpu_s, one.peak
    if one.code != 0:
        run.notes.append(f"new-day build failed ({one.code})")
        run.build_ok = False
    day_stages = stage_totals(step_seconds(data))
    run.notes.append(
        f"new day {run.new_day} ({len(held)} files), load average {load} at start, {_load()} at "
        "end; stages (s): "
        + ", ".join(f"{name} {_s(sec)}" for name, sec in day_stages.items() if sec >= 1)
    )
    run.snapshot_bytes = (data / "serving.duckdb").stat().st_size
    run.kpis_equal, run.kpis_total = kpi_score(data, landing / "truth.json")
    if pages:
        subprocess.run(
            [sys.executable, "tests/bench/dashboard_queries.py", "--data", str(data)],
            cwd=ROOT,
            check=False,
        )
    return run


def machine() -> str:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor() or "unknown CPU",
    )
    mem = next(
        int(line.split()[1]) * 1024
        for line in Path("/proc/meminfo").read_text().splitlines()
        if line.startswith("MemTotal")
    )
    load = os.getloadavg()
    return (
        f"{cpu}, {os.cpu_count()} cores, {mem / GIB:.1f} GiB RAM, {platform.system()} "
        f"{platform.release()}; load average at start {load[0]:.1f} / {load[1]:.1f} / "
        f"{load[2]:.1f} (1/5/15 min)"
    )


def _gb(value: int) -> str:
    return f"{value / GIB:.2f}" if value else "–"


def _s(value: float) -> str:
    return f"{value:,.0f}" if value >= 10 else f"{value:.1f}"


def table(runs: list[ProfileRun]) -> str:
    """The Markdown tables for the measured profiles."""
    stage_names = sorted(
        {name for run in runs for name in run.stages if not name.startswith("ingest ")}
        | {"ingest (all)"}
    )
    head = "| | " + " | ".join(run.profile for run in runs) + " |\n"
    head += "|---|" + "---:|" * len(runs) + "\n"

    def row(label: str, values: list[str]) -> str:
        return f"| {label} | " + " | ".join(values) + " |\n"

    body = row("landing zone (GB)", [_gb(r.landing_bytes) for r in runs])
    body += row(
        "generate (s wall / s CPU)", [f"{_s(r.generate_s)} / {_s(r.generate_cpu)}" for r in runs]
    )
    body += row("generate peak RSS (GiB)", [_gb(r.generate_peak) for r in runs])
    body += row("**build, all days but the last (s wall)**", [f"**{_s(r.build_s)}**" for r in runs])
    body += row("build (s CPU, all processes)", [_s(r.build_cpu) for r in runs])
    body += row(
        "**build peak RSS, all processes (GiB)**", [f"**{_gb(r.build_peak)}**" for r in runs]
    )
    body += row(
        "generate + build + new day (min)",
        [f"{(r.generate_s + r.build_s + r.new_day_s) / 60:.1f}" for r in runs],
    )
    for name in stage_names:
        body += row(f"  {name} (s)", [_s(r.stages.get(name, 0.0)) for r in runs])
    datasets = sorted(
        {n for r in runs for n in r.stages if n.startswith("ingest ") and n != "ingest (all)"}
    )
    for name in datasets:
        body += row(f"    {name} (s)", [_s(r.stages.get(name, 0.0)) for r in runs])
    body += row("rows read by ingest", [f"{r.rows_read:,}" for r in runs])
    body += row(
        "ingest rows / s",
        [
            f"{r.rows_read / r.stages['ingest (all)']:,.0f}"
            if r.stages.get("ingest (all)")
            else "–"
            for r in runs
        ],
    )
    body += row("KPIs equal to the truth", [f"{r.kpis_equal}/{r.kpis_total}" for r in runs])
    body += row("serving snapshot (GB)", [_gb(r.snapshot_bytes) for r in runs])
    body += row(
        "new day: its files delivered, `itot build` (s wall / s CPU)",
        [f"{_s(r.new_day_s)} / {_s(r.new_day_cpu)}" for r in runs],
    )
    body += row(
        "new day / full build (wall; CPU)",
        [
            f"{100 * r.new_day_s / r.build_s:.1f} %; {100 * r.new_day_cpu / r.build_cpu:.1f} %"
            if r.build_s and r.new_day_s and r.build_cpu
            else "–"
            for r in runs
        ],
    )
    body += row("new day peak RSS (GiB)", [_gb(r.new_day_peak) for r in runs])
    slow = ""
    for r in runs:
        if r.dbt_models:
            models = ", ".join(f"{name} {_s(sec)}" for name, sec in r.dbt_models)
            slow += f"- {r.profile}: slowest dbt nodes (s): {models}\n"
        for note in r.notes:
            slow += f"- {r.profile}: {note}\n"
    return head + body + ("\n" + slow if slow else "")


def write_section(path: Path, text: str) -> None:
    """Replace the generated section of `path` (between the markers), or append it."""
    old = path.read_text(encoding="utf-8") if path.exists() else ""
    block = f"{START}\n{text}{END}"
    if START in old and END in old:
        new = old[: old.index(START)] + block + old[old.index(END) + len(END) :]
    else:
        new = old + ("\n" if old and not old.endswith("\n") else "") + block + "\n"
    path.write_text(new, encoding="utf-8")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--profiles", default="demo,small,large")
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument("--work", type=Path, default=Path("/tmp/itot-bench"))
    ap.add_argument("--limit-gb", type=float, default=12.0, help="kill a tree beyond this")
    ap.add_argument("--write", type=Path, default=None, help="Markdown file to update")
    ap.add_argument("--pages", action="store_true", help="also time the dashboards' queries")
    ap.add_argument(
        "--landing",
        type=Path,
        default=None,
        help="an existing landing zone of the (single) profile: not generated again",
    )
    args = ap.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    header = (
        f"Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, seed {args.seed}, on {machine()}.\n\n"
    )
    runs = []
    for profile in args.profiles.split(","):
        print(f"{profile}: generate + build ...", flush=True)
        runs.append(
            run_profile(profile, args.seed, args.work, args.limit_gb, args.pages, args.landing)
        )
        print(table(runs), flush=True)
    text = header + table(runs)
    if args.write:
        write_section(args.write, text)
        print(f"wrote {args.write}")
    return 0 if all(r.build_ok for r in runs) else 1


if __name__ == "__main__":
    sys.exit(main())
