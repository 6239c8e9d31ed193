"""Ingest speed-up from one to more worker processes, on the same landing files.

    uv run python tests/bench/ingest_workers.py --landing DIR [--dataset D] [--workers 1 2]

Scans the landing zone once, then per worker count ingests `--dataset` into a fresh data
folder with `ITOT_INGEST_WORKERS` set (`orchestration/ingest/pool.py`; the pool only starts for
a dataset of 2+ files and 64 MiB or more; `--min-bytes 0` lowers that threshold for a smaller
landing zone). Prints per run: wall seconds, CPU seconds of this
process and its workers, rows loaded, and the machine's load average (other work on a shared
machine slows wall time, not CPU time). The rows must be equal in every run.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from orchestration.ingest import pool  # noqa: E402
from orchestration.ingest.landing import scan_landing  # noqa: E402
from orchestration.ingest.run import ingest_dataset  # noqa: E402


def _cpu_seconds() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--landing", type=Path, required=True)
    ap.add_argument("--dataset", default="pm_counters")
    ap.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--min-bytes", type=int, default=pool.POOL_MIN_BYTES)
    args = ap.parse_args(argv)
    pool.POOL_MIN_BYTES = args.min_bytes  # read by pool.use_pool at each call
    with tempfile.TemporaryDirectory(prefix="itot-bench-ingest-") as tmp:
        scanned = Path(tmp) / "scanned"
        scan_landing(args.landing, scanned)
        loaded = set()
        for workers in args.workers:
            data = Path(tmp) / f"workers-{workers}"
            shutil.copytree(scanned, data)
            os.environ[pool.WORKERS_ENV] = str(workers)
            load = os.getloadavg()[0]
            cpu, wall = _cpu_seconds(), time.perf_counter()
            summary = ingest_dataset(args.dataset, args.landing, data)
            wall, cpu = time.perf_counter() - wall, _cpu_seconds() - cpu
            loaded.add(summary.rows_loaded)
            print(
                f"{args.dataset}: {workers} worker(s): {wall:.1f} s wall, {cpu:.1f} s CPU, "
                f"{summary.files} files, {summary.rows_loaded:,} rows loaded "
                f"(load average {load:.1f} at start, {os.getloadavg()[0]:.1f} at end)",
                flush=True,
            )
            shutil.rmtree(data)
        assert len(loaded) == 1, f"rows loaded differ between runs: {loaded}"
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
