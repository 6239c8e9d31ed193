"""A dbt run that pseudonymises with the public demo key says so; with a real key it does not."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from orchestration import paths

pytestmark = pytest.mark.integration

DBT = str(Path(sys.executable).parent / "dbt")
WARNING = "pseudonymising with the PUBLIC DEMO KEY"


def _run_operation(tmp_path: Path, key: str | None) -> str:
    env = {**os.environ, paths.DATA_ENV: str(tmp_path)}
    env.pop("ITOT_PSEUDONYM_KEY", None)
    if key is not None:
        env["ITOT_PSEUDONYM_KEY"] = key
    project = paths.repo_root() / "dbt_project"
    done = subprocess.run(
        [DBT, "run-operation", "warn_if_demo_pseudonym_key"]
        + ["--project-dir", str(project), "--profiles-dir", str(project)]
        + ["--target-path", str(tmp_path / "target"), "--log-path", str(tmp_path / "logs")],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    return done.stdout + done.stderr


def test_the_demo_key_is_warned_about(tmp_path: Path) -> None:
    assert WARNING in _run_operation(tmp_path, None)


def test_a_real_key_is_not_warned_about(tmp_path: Path) -> None:
    assert WARNING not in _run_operation(tmp_path, "a-real-secret")
