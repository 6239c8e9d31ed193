"""Dashboard speed: every page's queries (p95 per query) and each page's first full render.

    uv run python tests/bench/dashboard_queries.py --data DIR            # a built data dir
    uv run python tests/bench/dashboard_queries.py --profile small       # generate + build first

1. Queries: each page runs once under Streamlit's AppTest with the query runner wrapped, which
   records every (SQL, bound parameters) the page issues, with its default filters and with a
   region filter. The page's distinct queries are then run `--repeat` times exactly as a page
   run issues them (one fresh read-only DuckDB connection, then each query in turn, no cache):
   the p95 of each query, and of the whole run (connect + all queries). Target: p95 <= 150 ms
   per query.
2. Render: `streamlit run dashboards/app.py` on the same snapshot, then headless Chromium
   (Playwright, /usr/bin/chromium) opens each page by its URL with an empty query cache (the
   snapshot's mtime is moved on first, as publishing does), and the time from navigation to
   the page's last visible change, once the script run has finished and every Plotly chart
   has drawn, is the first full render (tests/e2e/streamlit_server.py: wait_rendered).
   "render": a browser that has opened the dashboards before (Streamlit's and Plotly's
   JavaScript bundles in its HTTP cache), target <= 2 s per page; "cold": a new browser
   profile that first fetches and compiles those bundles; "(floor)": both for an empty
   Streamlit page, Streamlit's own share of the time on this machine.

Prints the profile, the snapshot's size and its largest tables, then one line per page.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import duckdb  # noqa: E402

from dashboards.pages import PAGES  # noqa: E402
from tests.e2e.streamlit_server import (  # noqa: E402
    RENDER_OBSERVER_JS,
    start_streamlit,
    stop,
    wait_rendered,
)

APP = ROOT / "dashboards" / "app.py"
CHROMIUM = "/usr/bin/chromium"
QUERY_TARGET_MS = 150.0
RENDER_TARGET_S = 2.0


SELECTED: list[str] | None = None  # --pages


def pages() -> list[str]:
    return [stem for stem, _, _ in PAGES if SELECTED is None or stem in SELECTED]


def capture_queries(page: str, query_params: dict[str, str]) -> list[tuple[str, dict]]:
    """Run one page under AppTest and return the (sql, params) it issued, in order."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from dashboards.queries import runner

    seen: list[tuple[str, dict]] = []
    real = runner.run_query

    def recording(path, version, sql, params=None):
        seen.append((sql, dict(params or {})))
        return real(path, version, sql, params)

    runner.run_query = recording
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
        runner.run_query = real
    return seen


def time_page_queries(
    serving: Path, queries: list[tuple[str, dict]], repeat: int
) -> tuple[list[list[float]], list[float]]:
    """Run a page's queries `repeat` times as a page run does: one fresh read-only connection,
    then every query in turn. Returns per query its milliseconds per run (execute + fetch into
    Polars), and per run the whole (connect + every query + close) in milliseconds."""
    per_query: list[list[float]] = [[] for _ in queries]
    per_run: list[float] = []
    for _ in range(repeat):
        run_started = time.perf_counter()
        with duckdb.connect(str(serving), read_only=True) as con:
            for times, (sql, params) in zip(per_query, queries, strict=True):
                started = time.perf_counter()
                con.execute(sql, params).pl()
                times.append((time.perf_counter() - started) * 1000)
        per_run.append((time.perf_counter() - run_started) * 1000)
    return per_query, per_run


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
        per_query, per_run = time_page_queries(serving, list(distinct.values()), repeat)
        p95s = [p95(times) for times in per_query]
        slowest = max(range(len(p95s)), key=p95s.__getitem__, default=None)
        results[page] = {
            "queries": len(distinct),
            "p95_max_ms": max(p95s, default=0.0),
            "p95_median_ms": statistics.median(p95s) if p95s else 0.0,
            "run_p95_ms": p95(per_run),
            "slowest": None if slowest is None else list(distinct.values())[slowest][0],
        }
    return results


# Streamlit's own share of a first render on this machine: an empty page, and the same page with
# one small Plotly chart (what loading and starting Plotly's bundle costs a page).
FLOOR_APP = """import streamlit as st
st.set_page_config(layout="wide")
st.title("An empty page")
if "plotly" in st.query_params:
    import plotly.graph_objects as go
    st.plotly_chart(go.Figure(go.Scatter(x=[1, 2, 3], y=[2, 1, 3])))
"""


def _launch(playwright):
    return playwright.chromium.launch(
        executable_path=CHROMIUM,
        args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
    )


def _open(context, url: str) -> float:
    """Open `url` in a new tab of `context`; seconds until it was fully rendered."""
    tab = context.new_page()
    try:
        tab.goto(url)
        return wait_rendered(tab)
    finally:
        tab.close()


def _navigate(tab, title: str, serving: Path) -> float:
    """Seconds from a click on the page's link (by `title`) in the sidebar (no page load:
    st.navigation swaps the page in the open session) until that page is fully rendered, with
    an empty query cache."""
    os.utime(serving)
    link = tab.locator('[data-testid="stSidebarNav"] a').filter(has_text=title)
    clicked = tab.evaluate("performance.now()")
    link.click()
    return wait_rendered(tab, title=title, since_ms=clicked)


def bench_navigation(browser, url: str, serving: Path) -> dict[str, float]:
    """Per page: render after in-app navigation from the page before it in the sidebar (the
    first page is reached from the last)."""
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    context.add_init_script(RENDER_OBSERVER_JS)
    tab = context.new_page()
    tab.goto(f"{url}/{PAGES[-1][0]}")
    wait_rendered(tab)
    results = {stem: _navigate(tab, title, serving) for stem, title, _ in PAGES if stem in pages()}
    context.close()
    return results


def _first_renders(browser, url: str, serving: Path | None) -> tuple[float, float]:
    """(cold, returning) first render of `url`, each with an empty query cache.

    cold: a new browser profile (no HTTP cache: Streamlit's and Plotly's bundles are fetched and
    compiled). returning: the same page opened again by a browser that has opened it before, so
    the static bundles come from its cache. Before each measured visit the snapshot's mtime is
    moved on, which is what publishing a new snapshot does: every cached query result is keyed
    by that mtime, so the page's queries all run again.
    """

    def new_context():
        context = browser.new_context(viewport={"width": 1440, "height": 900})
        context.add_init_script(RENDER_OBSERVER_JS)
        return context

    def republish() -> None:
        if serving is not None:
            os.utime(serving)

    context = new_context()
    republish()
    cold = _open(context, url)
    context.close()
    context = new_context()
    _open(context, url)
    republish()
    returning = _open(context, url)
    context.close()
    return cold, returning


def bench_render(data_dir: Path, workdir: Path) -> dict[str, tuple[float, ...]]:
    """Per page: (cold, returning, in-app navigation) first render in seconds; for `(floor)`
    (an empty Streamlit page) and `(+1 plotly)` (the same with one Plotly chart): (cold,
    returning)."""
    from playwright.sync_api import sync_playwright

    serving = data_dir / "serving.duckdb"
    floor_app = workdir / "floor_app.py"
    floor_app.write_text(FLOOR_APP)
    results: dict[str, tuple[float, ...]] = {}
    with sync_playwright() as playwright:
        browser = _launch(playwright)
        try:
            proc, url = start_streamlit(data_dir, workdir / "streamlit-floor.log", floor_app)
            try:
                results["(floor)"] = _first_renders(browser, url, None)
                results["(+1 plotly)"] = _first_renders(browser, f"{url}/?plotly=1", None)
            finally:
                stop(proc)
            proc, url = start_streamlit(data_dir, workdir / "streamlit-bench.log")
            try:
                # Warm the server (module imports, first session) once, outside the measurements.
                warm = browser.new_context()
                warm.add_init_script(RENDER_OBSERVER_JS)
                _open(warm, f"{url}/data_health")
                warm.close()
                for page in pages():
                    page_url = url if page == "overview" else f"{url}/{page}"
                    results[page] = _first_renders(browser, page_url, serving)
                for page, seconds in bench_navigation(browser, url, serving).items():
                    results[page] = (*results[page], seconds)
            finally:
                stop(proc)
        finally:
            browser.close()
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


def _seconds(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, help="a data dir already built by `itot build`")
    parser.add_argument("--profile", default="small", help="generate and build this profile")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--repeat", type=int, default=20, help="runs per query")
    parser.add_argument("--no-render", action="store_true", help="skip the browser part")
    parser.add_argument(
        "--pages", help="comma-separated page stems to measure (default: every page)"
    )
    args = parser.parse_args()
    if args.pages:
        global SELECTED
        SELECTED = [stem.strip() for stem in args.pages.split(",")]
        unknown = sorted(set(SELECTED) - {stem for stem, _, _ in PAGES})
        if unknown:
            parser.error(f"unknown pages: {', '.join(unknown)}")

    workdir = None
    scratch = Path(tempfile.mkdtemp(prefix="itot-dash-bench-logs-"))
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
        renders = {} if args.no_render else bench_render(data_dir, scratch)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
        if workdir is not None:
            shutil.rmtree(workdir, ignore_errors=True)
    failed = False
    print(
        f"{'page':<12} {'queries':>7} {'p95 max ms':>10} {'p95 median ms':>13} "
        f"{'all p95 ms':>10} {'navigate s':>10} {'open s':>6} {'cold s':>6}"
    )
    for name in ("(floor)", "(+1 plotly)"):
        if name in renders:
            cold, opened = renders[name]
            blank = f"{'':>7} {'':>10} {'':>13} {'':>10} {'':>10}"
            print(f"{name:<12} {blank} {opened:>6.2f} {cold:>6.2f}")
    for page, q in queries.items():
        cold, opened, navigated = renders.get(page, (None, None, None))
        ok = q["p95_max_ms"] <= QUERY_TARGET_MS and (
            navigated is None or navigated <= RENDER_TARGET_S
        )
        failed |= not ok
        print(
            f"{page:<12} {q['queries']:>7} {q['p95_max_ms']:>10.1f} {q['p95_median_ms']:>13.1f} "
            f"{q['run_p95_ms']:>10.1f} {_seconds(navigated):>10} {_seconds(opened):>6} "
            f"{_seconds(cold):>6}  {'ok' if ok else 'OVER TARGET'}"
        )
        if q["p95_max_ms"] > QUERY_TARGET_MS:
            print(f"    slowest query: {' '.join(q['slowest'].split())[:300]}")
    print(
        f"targets: p95 <= {QUERY_TARGET_MS:.0f} ms per query, first render <= {RENDER_TARGET_S} s "
        "(navigate)"
    )
    print(
        "p95 max/median: over the page's distinct queries, each on an open connection; all p95: "
        "one page run's queries (connect, all queries, close). First full render, each with an "
        "empty query cache: navigate: the page chosen in the sidebar of an open session; open: "
        "its URL opened in a new tab of a browser that has opened it before; cold: the same in "
        "a new browser profile; (floor): an empty Streamlit page; (+1 plotly): the same with "
        "one small Plotly chart."
    )
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
