"""The dbt project module has no import-time side effects, and builds do not depend on PATH."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from orchestration.defs.dbt.project import dbt_executable
from orchestration.defs.dbt.resources import dbt_resource


def test_importing_the_project_leaves_path_alone() -> None:
    path = os.pathsep.join(
        p
        for p in os.environ.get("PATH", "").split(os.pathsep)
        if p != str(Path(sys.executable).parent)
    )
    code = (
        "import os\n"
        "before = os.environ['PATH']\n"
        "import orchestration.defs.dbt.project, orchestration.defs.dbt.resources\n"
        "assert os.environ['PATH'] == before, os.environ['PATH']\n"
    )
    subprocess.run([sys.executable, "-c", code], env={**os.environ, "PATH": path}, check=True)


def test_the_dbt_resource_runs_this_environments_dbt() -> None:
    assert Path(dbt_executable()) == Path(sys.executable).parent / "dbt"
    assert dbt_resource.dbt_executable == dbt_executable()
