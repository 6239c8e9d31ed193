"""Per-file ingest work spread over worker processes, results in input order.

Ingesting one landing file (parse, record rules, its bronze, quarantine and ledger files) reads
and writes only that file's own outputs, so files can be handled in parallel: the work of a
dataset with many large files (PM counters: 341 files, 236M counter values on the large profile)
runs in `ingest_workers()` processes. Results come back in the order of the input, so summaries
are the same as a serial run's; each file's outputs are the same bytes either way.

Small datasets stay in this process: starting a worker (a fresh interpreter importing Polars and
the parsers) costs about a second, more than a few small files take. Workers are started with
`spawn`, never `fork`: Polars' thread pool does not survive a fork.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import TypeVar

WORKERS_ENV = "ITOT_INGEST_WORKERS"
# A dataset's landing files must hold at least this many bytes (and be 2 files or more) before
# worker processes are started for it.
POOL_MIN_BYTES = 64 * 2**20

T = TypeVar("T")
R = TypeVar("R")


def ingest_workers() -> int:
    """Worker processes for one dataset's files: `$ITOT_INGEST_WORKERS`, default the CPU count."""
    value = os.environ.get(WORKERS_ENV, "").strip()
    if value:
        return max(1, int(value))
    return max(1, os.cpu_count() or 1)


def use_pool(n_files: int, total_bytes: int, workers: int) -> bool:
    """Whether files this many and this large are worth worker processes."""
    return workers > 1 and n_files > 1 and total_bytes >= POOL_MIN_BYTES


def map_in_order(
    fn: Callable[[T], R], items: Sequence[T], *, workers: int, pooled: bool
) -> Iterator[R]:
    """`fn(item)` for each item, in order: in `workers` spawned processes when `pooled`, else
    here. `fn` must be a module-level function and items picklable. A worker's exception is
    raised here, as a serial run would raise it."""
    if not pooled or workers <= 1 or len(items) <= 1:
        yield from map(fn, items)
        return
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=min(workers, len(items)), mp_context=context) as pool:
        yield from pool.map(fn, items)
