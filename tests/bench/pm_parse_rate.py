"""PM XML parse rate: counter values per second per core, parser vs a naive lxml tree walk.

    uv run python tests/bench/pm_parse_rate.py [--profile large] [--days 1] [--files 2]

Writes PM files with the project's simulator (its own PM writer, for the chosen profile's
network and the first `--days` days, at most `--files` OSS batch files per value layout and day:
`measTypes`/`measResults` and `measType p`/`r p`), then times on exactly the same files:

- the real parser (`orchestration.sources.pm_xml.parse`, every rule in force, typed rows);
- a naive baseline: `lxml.etree.parse` of the whole file, then a Python walk over every
  measData / measInfo / measValue building the same rows as Python lists (no validation).

Both run in this one process with Polars limited to one thread; the rate is counter values per
CPU second (process time), so it is a per-core figure. Prints one line per layout and a total.
"""

from __future__ import annotations

import os

os.environ.setdefault("POLARS_MAX_THREADS", "1")  # per-core figure: before polars is imported

import argparse  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402
from lxml import etree  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from orchestration.simulator.generate import _rng  # noqa: E402
from orchestration.simulator.network import build_network, plant_impairments  # noqa: E402
from orchestration.simulator.pm_counters import day_counters  # noqa: E402
from orchestration.simulator.pm_xml_writer import (  # noqa: E402
    P_LAYOUT_VENDORS,
    file_name,
    render_batch,
    write_file,
)
from orchestration.simulator.profiles import get_profile  # noqa: E402
from orchestration.simulator.timefmt import Period  # noqa: E402
from orchestration.sources import pm_xml  # noqa: E402


def write_files(profile: str, days: int, per_layout: int, out: Path, seed: int = 42) -> dict:
    """Simulator PM files for the first `days` days; {layout: [paths]}."""
    prof = get_profile(profile)
    period = Period(prof.start, prof.days)
    net = build_network(prof, _rng(seed, 1))
    imps = plant_impairments(prof, period, net, _rng(seed, 2))
    files: dict[str, list[Path]] = {"measResults": [], "r p": []}
    batches = sorted(set(net.oss))
    for d in range(min(days, prof.days)):
        vals = day_counters(period, d, net, imps, seed)
        taken = {"measResults": 0, "r p": 0}
        for oss in batches:
            cells = np.flatnonzero(net.oss == oss)
            vendor = str(net.vendor[cells[0]])
            layout = "r p" if vendor in P_LAYOUT_VENDORS else "measResults"
            if taken[layout] >= per_layout:
                continue
            taken[layout] += 1
            text = render_batch(net, cells, period.day_t0(d), vals[cells], vendor, oss)
            path = out / oss / file_name(period.day_t0(d), oss, False)
            write_file(path, text, False)
            files[layout].append(path)
    return files


_SAFE = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)


def naive_parse(path: Path) -> int:
    """Baseline: parse the whole tree, walk it, build the rows as Python lists."""
    root = etree.parse(str(path), _SAFE).getroot()
    rows: list[tuple] = []

    def local(tag: str) -> str:
        return tag.rsplit("}", 1)[-1]

    for md in root:
        if local(md.tag) != "measData":
            continue
        ne = None
        for mi in md:
            name = local(mi.tag)
            if name == "managedElement":
                ne = mi.get("localDn")
            if name != "measInfo":
                continue
            types: list[str] = []
            ptypes: dict[str, str] = {}
            end = None
            for c in mi:
                n = local(c.tag)
                if n == "granPeriod":
                    end = c.get("endTime")
                elif n == "measTypes":
                    types = (c.text or "").split()
                elif n == "measType":
                    ptypes[c.get("p")] = c.text
                elif n == "measValue":
                    obj = c.get("measObjLdn")
                    for v in c:
                        vn = local(v.tag)
                        if vn == "measResults":
                            for counter, raw in zip(types, (v.text or "").split(), strict=False):
                                rows.append((ne, obj, counter, end, raw, _num(raw)))
                        elif vn == "r":
                            raw = v.text or ""
                            rows.append((ne, obj, ptypes.get(v.get("p")), end, raw, _num(raw)))
    return len(rows)


def _num(raw: str) -> float | None:
    try:
        return float(raw)
    except ValueError:
        return None


def _time(fn, paths: list[Path], repeat: int) -> tuple[int, float]:
    best = float("inf")
    count = 0
    for _ in range(repeat):
        t0 = time.process_time()
        count = sum(fn(p) for p in paths)
        best = min(best, time.process_time() - t0)
    return count, best


def _parser_count(path: Path) -> int:
    result = pm_xml.parse(path)
    assert not result.rejects, result.rejects[:3]
    return result.rows.height


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--profile", default="large")
    ap.add_argument("--days", type=int, default=1)
    ap.add_argument("--files", type=int, default=2, help="files per layout and day")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="itot-bench-") as tmp:
        files = write_files(args.profile, args.days, args.files, Path(tmp))
        print(
            f"PM parse rate, profile {args.profile}, {args.days} day(s), "
            f"counter values per CPU second (1 core, best of {args.repeat})"
        )
        tot = {"n": 0, "ours": 0.0, "base": 0.0}
        for layout, paths in files.items():
            if not paths:
                continue
            size = sum(p.stat().st_size for p in paths) / 1e6
            n, ours = _time(_parser_count, paths, args.repeat)
            nb, base = _time(naive_parse, paths, args.repeat)
            assert n == nb, (layout, n, nb)
            tot["n"] += n
            tot["ours"] += ours
            tot["base"] += base
            print(
                f"  {layout:<12} {len(paths)} files {size:7.1f} MB {n:>10,} values | "
                f"parser {n / ours:>12,.0f}/s | naive lxml {n / base:>12,.0f}/s | "
                f"ratio {base / ours:5.2f}x"
            )
        if tot["n"]:
            print(
                f"  {'all':<12} {tot['n']:>31,} values | parser {tot['n'] / tot['ours']:>12,.0f}/s"
                f" | naive lxml {tot['n'] / tot['base']:>12,.0f}/s | ratio "
                f"{tot['base'] / tot['ours']:5.2f}x"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
