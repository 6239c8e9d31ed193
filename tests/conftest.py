"""Shared fixtures: the demo operator, built once per test session."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from orchestration import paths

SEEDS = paths.repo_root() / "seeds"
_BUILD_ENV = (paths.LANDING_ENV, paths.DATA_ENV, paths.DAGSTER_HOME_ENV)


def seeds_ready(seeds: Path = SEEDS) -> bool:
    """The committed demo landing zone exists (the simulator writes truth.json last)."""
    return (seeds / "truth.json").is_file()


@pytest.fixture(scope="session")
def demo_build(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Path]]:
    """Build the repo's seeds/ into a fresh data dir; yield (landing, data).

    The build sets ITOT_LANDING / ITOT_DATA / DAGSTER_HOME; they are restored afterwards so the
    rest of the session sees the environment it started with.
    """
    if not seeds_ready():
        pytest.skip(f"no demo landing zone yet: {SEEDS / 'truth.json'} is missing")
    from orchestration.build import build_all

    data = tmp_path_factory.mktemp("demo_data")
    saved = {key: os.environ.get(key) for key in _BUILD_ENV}
    try:
        build_all(SEEDS, data, progress=False)
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    yield SEEDS, data
