"""Shared fixtures: the demo operator, built once per test session."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from orchestration import paths

SEEDS = paths.repo_root() / "seeds"
_BUILD_ENV = (paths.LANDING_ENV, paths.DATA_ENV, paths.DAGSTER_HOME_ENV)


def seeds_ready(seeds: Path = SEEDS) -> bool:
    """The committed demo landing zone exists (the simulator writes truth.json last)."""
    return (seeds / "truth.json").is_file()


def build_isolated(landing: Path, data: Path, days: tuple[str, str] | None = None):
    """`build_all(landing, data)` in this process, then restore ITOT_LANDING / ITOT_DATA /
    DAGSTER_HOME (the build sets them) so the rest of the session sees the environment it
    started with. Returns the BuildResult; raises BuildError if the run failed."""
    from orchestration.build import build_all

    saved = {key: os.environ.get(key) for key in _BUILD_ENV}
    try:
        return build_all(landing, data, progress=False, days=days)
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


@pytest.fixture(scope="session")
def demo_build(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Path]]:
    """Build the repo's seeds/ into a fresh data dir; yield (landing, data)."""
    if not seeds_ready():
        pytest.skip(f"no demo landing zone yet: {SEEDS / 'truth.json'} is missing")
    data = tmp_path_factory.mktemp("demo_data")
    build_isolated(SEEDS, data)
    yield SEEDS, data


@pytest.fixture()
def demo_copy(demo_build, tmp_path: Path) -> tuple[Path, Path]:
    """A private copy of the built demo, (landing, data), that a test may change and rebuild."""
    landing, data = demo_build
    shutil.copytree(landing, tmp_path / "landing")
    shutil.copytree(data, tmp_path / "data", ignore=shutil.ignore_patterns("*.tmp-*"))
    return tmp_path / "landing", tmp_path / "data"


@pytest.fixture(scope="session")
def run_build() -> Callable:
    """`build_isolated`, for tests that rebuild."""
    return build_isolated
