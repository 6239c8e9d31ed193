"""Dashboard speed: every page's queries (p95 per query) and each page's first full render.

    uv run python tests/bench/dashboard_queries.py --data DIR            # a built data dir
    uv run python tests/bench/dashboard_queries.py --profile small       # generate + build first

1. Queries: each page runs once under Streamlit's AppTest with the query runner wrapped, which
   records every (SQL, bound parameters) the page issues, with its default filters and with a
   region filter. Each distinct query is then run `--repeat` times exactly as the dashboards
   run it (a fresh read-only DuckDB connection per query, no cache) and its p95 is reported.
   Target: p95 <= 150 ms per query.
2. Render: `streamlit run dashboards/app.py` on the same snapshot, then headless Chromium
   (Playwright, /usr/bin/chromium) opens each page in a fresh tab with an empty query cache on
   the server side for that page; the time from navigation until the script run finished and
   the page stopped changing (minus the 150 ms stability window) is the first full render.
   Target: <= 2 s per page.

Prints the profile, the snapshot's size and its largest tables, then one line per page.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import duckdb  # noqa: E402

APP = ROOT / "dashboards" / "app.py"
CHROMIUM = "/usr/bin/chromium"
QUERY_TARGET_MS = 150.0
RENDER_TARGET_S = 2.0
STABLE_MS = 150


def pages() -> list[str]:
    return sorted(p.stem for p in (ROOT / "dashboards" / "views").glob("*.py"))


def capture_queries(page: str, query_params: dict[str, str]) -> list[tuple[str, dict]]:
    """Run one page under AppTest and return the (sql, params) it issued, in order."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from dashboards import queries

    seen: list[tuple[str, dict]] = []
    real = queries.run_query

    def recording(path, version, sql, params=None):
        seen.append((sql, dict(params or {})))
        return real(path, version, sql, params)

    queries.run_query = recording
    try:
        st.cache_data.clear()
        at = AppTest.from_file(str(APP), default_timeout=300)
        at.query_params.update(query_params)
        if page != "overview":
            at.switch_page(f"views/{page}.py")
        at.run()
        if at.exception:
            raise RuntimeError(f"{page}: {[e.value for e in at.exception]}")
    finally:
        queries.run_query = real
    return seen


def time_query(serving: Path, sql: str, params: dict, repeat: int) -> list[float]:
    """Milliseconds per run, each on a fresh read-only connection (as the dashboards do)."""
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        with duckdb.connect(str(serving), read_only=True) as con:
            con.execute(sql, params).pl()
        times.append((time.perf_counter() - started) * 1000)
    return times


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]


def bench_queries(serving: Path, repeat: int) -> dict[str, dict]:
    with duckdb.connect(str(serving), read_only=True) as con:
        region = con.execute("select min(region) from dim_cell").fetchone()[0]
    results = {}
    for page in pages():
        distinct: dict[str, tuple[str, dict]] = {}
        for variant in ({}, {"region": region}):
            for sql, params in capture_queries(page, variant):
                key = sql + json.dumps(params, default=str, sort_keys=True)
                distinct.setdefault(key, (sql, params))
        p95s = [p95(time_query(serving, sql, params, repeat)) for sql, params in distinct.values()]
        results[page] = {
            "queries": len(distinct),
            "p95_max_ms": max(p95s, default=0.0),
            "p95_median_ms": statistics.median(p95s) if p95s else 0.0,
        }
    return results


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _settle(tab) -> None:
    tab.wait_for_selector('[data-testid="stMain"] h1', timeout=120_000)
    last = None
    while True:
        running = tab.locator('[data-testid="stStatusWidget"]').count() > 0
        text = None if running else tab.locator("body").inner_text()
        if text is not None and text == last:
            return
        last = text
        tab.wait_for_timeout(STABLE_MS)


def bench_render(data_dir: Path) -> dict[str, float]:
    from playwright.sync_api import sync_playwright

    port = _free_port()
    env = dict(os.environ, ITOT_DATA=str(data_dir))
    server = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(APP), "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true",
         "--server.fileWatcherType", "none", "--browser.gatherUsageStats", "false"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        start_new_session=True,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    results: dict[str, float] = {}
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2):
                    break
            except OSError:
                time.sleep(0.3)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM,
                args=["--headless", "--no-sandbox", "--disable-gpu",
                      "--disable-background-networking"],
            )  # fmt: skip
            # Warm the server (module imports, first session) once, outside the measurements.
            warm = browser.new_page()
            warm.goto(f"{url}/data_health")
            _settle(warm)
            warm.close()
            for page in pages():
                context = browser.new_context(viewport={"width": 1440, "height": 900})
                tab = context.new_page()
                started = time.perf_counter()
                tab.goto(url if page == "overview" else f"{url}/{page}")
                _settle(tab)
                results[page] = time.perf_counter() - started - STABLE_MS / 1000
                context.close()
            browser.close()
    finally:
        os.killpg(server.pid, 15)
        server.wait(timeout=20)
    return results


def build(profile: str, seed: int, workdir: Path) -> Path:
    landing, data = workdir / "landing", workdir / "data"
    itot = [str(Path(sys.executable).parent / "itot")]
    subprocess.run([*itot, "generate", "--profile", profile, "--seed", str(seed), "--out",
                    str(landing)], check=True)  # fmt: skip
    subprocess.run([*itot, "build", "--landing", str(landing), "--data", str(data)], check=True)
    return data


def describe(serving: Path) -> str:
    with duckdb.connect(str(serving), read_only=True) as con:
        sizes = con.execute(
            "select table_name, estimated_size from duckdb_tables() "
            "order by estimated_size desc limit 5"
        ).fetchall()
    mb = serving.stat().st_size / 1e6
    return f"{mb:.1f} MB; largest tables: " + ", ".join(f"{t} {n:,} rows" for t, n in sizes)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, help="a data dir already built by `itot build`")
    parser.add_argument("--profile", default="small", help="generate and build this profile")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--repeat", type=int, default=20, help="runs per query")
    parser.add_argument("--no-render", action="store_true", help="skip the browser part")
    args = parser.parse_args()

    workdir = None
    if args.data:
        data_dir, profile = args.data.resolve(), f"existing data dir {args.data}"
        truth = data_dir.parent / "landing" / "truth.json"
        if truth.is_file():
            profile += f" (profile {json.loads(truth.read_text())['profile']})"
    else:
        workdir = Path(tempfile.mkdtemp(prefix="itot-dash-bench-"))
        data_dir, profile = build(args.profile, args.seed, workdir), f"profile {args.profile}"
    serving = data_dir / "serving.duckdb"
    os.environ["ITOT_DATA"] = str(data_dir)
    print(f"dashboard bench on {profile}: {serving} ({describe(serving)})")
    try:
        queries = bench_queries(serving, args.repeat)
        renders = {} if args.no_render else bench_render(data_dir)
    finally:
        if workdir is not None:
            shutil.rmtree(workdir, ignore_errors=True)
    failed = False
    print(f"{'page':<12} {'queries':>7} {'p95 max ms':>10} {'p95 median ms':>13} {'render s':>8}")
    for page, q in queries.items():
        render = renders.get(page)
        ok = q["p95_max_ms"] <= QUERY_TARGET_MS and (render is None or render <= RENDER_TARGET_S)
        failed |= not ok
        shown = "-" if render is None else f"{render:.2f}"
        print(
            f"{page:<12} {q['queries']:>7} {q['p95_max_ms']:>10.1f} {q['p95_median_ms']:>13.1f} "
            f"{shown:>8}  {'ok' if ok else 'OVER TARGET'}"
        )
    print(
        f"targets: p95 <= {QUERY_TARGET_MS:.0f} ms per query, first render <= {RENDER_TARGET_S} s"
    )
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
