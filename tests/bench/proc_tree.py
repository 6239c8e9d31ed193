"""Peak resident memory of a process and all its descendants together, sampled from /proc.

    uv run python tests/bench/proc_tree.py [--interval 0.5] [--limit-gb 10] -- COMMAND ...

Runs COMMAND, samples the summed RSS (bytes) of the command's process tree every `interval`
seconds and prints the peak, the wall seconds and the CPU seconds (user + system of every
process of the tree) when it ends. With `--limit-gb`, the whole tree
is killed once the sum passes the limit (a guard for a shared machine), and the exit code is 137.

Linux only (reads /proc/<pid>/stat and /proc/<pid>/statm); no third-party dependency.
"""

from __future__ import annotations

import argparse
import os
import resource
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

PAGE = os.sysconf("SC_PAGE_SIZE")


def _children_map() -> dict[int, list[int]]:
    """{parent pid: [child pids]} for every process visible in /proc now."""
    kids: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # the command name (field 2) is in parentheses and may hold spaces: split after it
        ppid = int(stat[stat.rindex(")") + 2 :].split()[1])
        kids.setdefault(ppid, []).append(int(entry.name))
    return kids


def tree_pids(root: int) -> list[int]:
    """`root` and every descendant pid alive now."""
    kids = _children_map()
    out, todo = [], [root]
    while todo:
        pid = todo.pop()
        out.append(pid)
        todo.extend(kids.get(pid, []))
    return out


def tree_rss(root: int) -> int:
    """Summed resident set size of `root`'s process tree, in bytes (0 once it is gone)."""
    total = 0
    for pid in tree_pids(root):
        try:
            total += int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE
        except (OSError, IndexError, ValueError):
            continue
    return total


@dataclass
class TreeSampler:
    """Samples a process tree's summed RSS in a thread; `peak` in bytes, `over` if killed."""

    root: int
    interval: float = 0.5
    limit: int | None = None  # bytes; kill the tree beyond it
    peak: int = 0
    over: bool = False
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None

    def start(self) -> TreeSampler:
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        return self

    def _run(self) -> None:
        while not self._stop.is_set():
            rss = tree_rss(self.root)
            self.peak = max(self.peak, rss)
            if self.limit is not None and rss > self.limit and not self.over:
                self.over = True
                kill_tree(self.root)
            self._stop.wait(self.interval)

    def stop(self) -> int:
        """Stop sampling; the peak in bytes."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        return self.peak


def kill_tree(root: int) -> None:
    """SIGKILL `root` and its descendants (children first)."""
    for pid in reversed(tree_pids(root)):
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass


@dataclass(frozen=True)
class Measured:
    """One command's run: exit code, wall seconds, CPU seconds (user + system of the whole
    tree: what the work costs, whatever else loads the machine), peak tree RSS in bytes, and
    whether it was killed above the limit."""

    code: int
    wall_s: float
    cpu_s: float
    peak: int
    killed: bool


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_measured(
    cmd: list[str], *, interval: float = 0.5, limit_gb: float | None = None, **popen
) -> Measured:
    """Run `cmd` and measure it (one at a time per process: CPU time is this process's
    children's, counted when they end)."""
    t0, cpu0 = time.perf_counter(), _children_cpu()
    proc = subprocess.Popen(cmd, **popen)
    limit = int(limit_gb * 2**30) if limit_gb else None
    sampler = TreeSampler(proc.pid, interval, limit).start()
    code = proc.wait()
    peak = sampler.stop()
    return Measured(code, time.perf_counter() - t0, _children_cpu() - cpu0, peak, sampler.over)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--interval", type=float, default=0.5, help="seconds between samples")
    ap.add_argument("--limit-gb", type=float, default=None, help="kill the tree beyond this")
    ap.add_argument("cmd", nargs=argparse.REMAINDER)
    args = ap.parse_args()
    cmd = args.cmd[1:] if args.cmd[:1] == ["--"] else args.cmd
    if not cmd:
        ap.error("no command")
    run = run_measured(cmd, interval=args.interval, limit_gb=args.limit_gb)
    note = f" KILLED over {args.limit_gb} GB" if run.killed else ""
    print(
        f"proc_tree: {run.wall_s:.1f} s wall, {run.cpu_s:.1f} s CPU, "
        f"peak tree RSS {run.peak / 2**30:.2f} GiB, exit {run.code}{note}"
    )
    return 137 if run.killed else run.code


if __name__ == "__main__":
    sys.exit(main())
