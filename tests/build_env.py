"""The environment a build sets (ITOT_LANDING, ITOT_DATA, DAGSTER_HOME), restored for tests."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator

from orchestration import paths

BUILD_ENV = (paths.LANDING_ENV, paths.DATA_ENV, paths.DAGSTER_HOME_ENV)


@contextlib.contextmanager
def build_env_restored() -> Iterator[None]:
    """Restore ITOT_LANDING / ITOT_DATA / DAGSTER_HOME on exit (a build sets them)."""
    saved = {key: os.environ.get(key) for key in BUILD_ENV}
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
