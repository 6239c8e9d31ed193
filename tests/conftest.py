"""Shared fixtures: the demo operator, built once per test session (once for all pytest-xdist
workers together), and the order the long tests are handed out in."""

from __future__ import annotations

import fcntl
import json
import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from orchestration import paths
from tests.build_env import build_env_restored

SEEDS = paths.repo_root() / "seeds"


def seeds_ready(seeds: Path = SEEDS) -> bool:
    """The committed demo landing zone exists (the simulator writes truth.json last)."""
    return (seeds / "truth.json").is_file()


def build_isolated(landing: Path, data: Path, days: tuple[str, str] | None = None):
    """`build_all(landing, data)` in this process, then restore ITOT_LANDING / ITOT_DATA /
    DAGSTER_HOME (the build sets them) so the rest of the session sees the environment it
    started with. Returns the BuildResult; raises BuildError if the run failed."""
    from orchestration.build import build_all

    with build_env_restored():
        return build_all(landing, data, progress=False, days=days)


def build_once(
    landing: Path, data: Path, build: Callable[[Path, Path], object] = build_isolated
) -> None:
    """Build `landing` into `data` (with `build`) unless an earlier call (in any process)
    already did.

    pytest-xdist runs each worker as its own session, so a session fixture would build once per
    worker. The workers share `data` instead: the first to get the lock builds, the others wait
    for it and read the same folder (`<data>.built` beside it marks a finished build; a failed
    build is tried again by the next caller).
    """
    done = data.parent / f"{data.name}.built"
    data.mkdir(parents=True, exist_ok=True)
    with (data.parent / f"{data.name}.lock").open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            if not done.exists():
                build(landing, data)
                done.touch()
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def shared_dir(tmp_path_factory: pytest.TempPathFactory, name: str) -> Path:
    """A folder every pytest-xdist worker of this run sees at the same path (a worker's own
    temp folder without xdist)."""
    if os.environ.get("PYTEST_XDIST_WORKER"):
        return tmp_path_factory.getbasetemp().parent / name  # the run's root, above gw0, gw1
    return tmp_path_factory.mktemp(name)


@pytest.fixture(scope="session")
def demo_build(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Path]]:
    """Build the repo's seeds/ into a fresh data dir, once per run; yield (landing, data).

    Read it only: tests that change a build take `demo_copy`."""
    if not seeds_ready():
        pytest.skip(f"no demo landing zone yet: {SEEDS / 'truth.json'} is missing")
    data = shared_dir(tmp_path_factory, "demo_data")
    build_once(SEEDS, data)
    yield SEEDS, data


@pytest.fixture()
def demo_copy(demo_build, tmp_path: Path) -> tuple[Path, Path]:
    """A private copy of the built demo, (landing, data), that a test may change and rebuild.

    Modification times are kept (`shutil.copytree` copies with `copy2`), so a rebuild of the copy
    is incremental, as on the original: it ingests and rebuilds only what the test changed."""
    landing, data = demo_build
    shutil.copytree(landing, tmp_path / "landing")
    shutil.copytree(data, tmp_path / "data", ignore=shutil.ignore_patterns("*.tmp-*"))
    return tmp_path / "landing", tmp_path / "data"


@pytest.fixture()
def demo_snapshot(demo_build, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, dict]:
    """(serving snapshot path, truth.json) of the shared demo build, with ITOT_DATA pointing at
    its data folder (as the dashboards find it)."""
    landing, data = demo_build
    monkeypatch.setenv(paths.DATA_ENV, str(data))
    truth = json.loads((landing / "truth.json").read_text(encoding="utf-8"))
    return paths.serving_path(data), truth


@pytest.fixture()
def fresh_streamlit_cache() -> Iterator[None]:
    """Query results are cached per process (`st.cache_data`): the test starts and ends with an
    empty cache. Page tests take it for every test: `pytest.mark.usefixtures`."""
    import streamlit as st

    st.cache_data.clear()
    yield
    st.cache_data.clear()


@pytest.fixture(scope="session")
def run_build() -> Callable:
    """`build_isolated`, for tests that rebuild."""
    return build_isolated


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Longest first: tests marked `seconds(n)` by n, descending, then the rest in file order;
    second, the longest test that does not read the shared demo build, so the second worker
    has work of its own while the first builds it; third, the smallest unit-test file.

    `make test` hands the files out in the order of their first test (`--dist loadfile
    --no-loadscope-reorder`) to whichever worker is free, so the long ones are spread over both
    workers instead of one worker ending the run alone with them. xdist gives each worker one
    file beyond the one it runs, and the third file waits behind the first (the longest): a
    unit-test file there keeps the next long one free for the other worker."""

    def seconds(item: pytest.Item) -> float:
        marker = item.get_closest_marker("seconds")
        return float(marker.args[0]) if marker else 0.0

    def reads_demo(item: pytest.Item) -> bool:
        return "demo_build" in getattr(item, "fixturenames", ())

    items.sort(key=lambda item: -seconds(item))  # stable: file order among equals
    if items and reads_demo(items[0]):
        own = next((i for i, item in enumerate(items) if seconds(item) and not reads_demo(item)), 0)
        if own > 1:
            items.insert(1, items.pop(own))
    files: dict[Path, list[pytest.Item]] = {}
    for item in items:
        files.setdefault(item.path, []).append(item)
    first_two = {item.path for item in items[:2]}
    quick = [
        tests
        for path, tests in files.items()
        if path.parent.name == "unit"
        and path not in first_two
        and not any(seconds(t) or reads_demo(t) for t in tests)
    ]
    if len(items) > 2 and quick:
        smallest = min(quick, key=len)
        rest = [item for item in items[2:] if item.path != smallest[0].path]
        items[:] = [*items[:2], *smallest, *rest]
