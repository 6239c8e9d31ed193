"""The dbt project as Dagster sees it, and the manifest it is loaded from.

`target/` is never committed: the manifest is prepared when missing or older than the project's
files (`ensure_manifest`), and re-parsed on every reload under `dagster dev` (`prepare_if_dev`).
"""

from __future__ import annotations

import fcntl
import os
import sys
from collections.abc import Iterable
from pathlib import Path

from dagster_dbt import DbtProject

from orchestration import paths

DBT_PROJECT_DIR = paths.repo_root() / "dbt_project"

# Files whose change alters the manifest (target/, logs/ and dbt_packages/ never do).
_MANIFEST_INPUTS = ("dbt_project.yml", "profiles.yml", "models", "macros", "seeds", "tests")


def dbt_executable() -> str:
    """This interpreter's `dbt` (beside it in `.venv/bin`), or `dbt` from PATH without one.

    `.venv/bin/itot` (or `dagster dev` started by it) may run without an activated environment;
    the dbt resource is given this path, so a build never depends on PATH."""
    beside = Path(sys.executable).parent / "dbt"
    return str(beside) if beside.exists() else "dbt"


def put_dbt_on_path() -> None:
    """Make this interpreter's `dbt` the one dagster-dbt's manifest preparer runs (it looks
    `dbt` up on PATH and takes no path). Called just before a parse, never at import."""
    bin_dir = str(Path(dbt_executable()).parent)
    on_path = os.environ.get("PATH", "").split(os.pathsep)
    if bin_dir != "." and bin_dir not in on_path:
        os.environ["PATH"] = bin_dir + os.pathsep + os.environ.get("PATH", "")


dbt_project = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)


def newest_mtime(files: Iterable[Path]) -> float:
    """The latest modification time among `files` (0.0 when there are none)."""
    return max((f.stat().st_mtime for f in files), default=0.0)


def manifest_inputs(project_dir: Path) -> list[Path]:
    """Every file of the dbt project that the manifest is parsed from."""
    found: list[Path] = []
    for name in _MANIFEST_INPUTS:
        entry = project_dir / name
        if entry.is_file():
            found.append(entry)
        elif entry.is_dir():
            found.extend(p for p in entry.rglob("*") if p.is_file())
    return found


def manifest_is_stale(manifest_path: Path, inputs: Iterable[Path]) -> bool:
    """True when the manifest is missing or older than any of the files it is parsed from."""
    if not manifest_path.exists():
        return True
    return newest_mtime(inputs) > manifest_path.stat().st_mtime


def ensure_manifest(project: DbtProject = dbt_project) -> Path:
    """Run `dbt parse` when the manifest is missing or stale; return the manifest's path.

    Processes that load the definitions at the same moment (test workers, `itot build` beside
    `dagster dev`) parse one at a time under an exclusive lock on `target/.parse.lock`: the
    first parses, the others find the manifest fresh and read it, never a half-written one.
    """
    inputs = manifest_inputs(project.project_dir)
    if not manifest_is_stale(project.manifest_path, inputs):
        return project.manifest_path
    put_dbt_on_path()
    lock_path = project.manifest_path.parent / ".parse.lock"
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    with lock_path.open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            if manifest_is_stale(project.manifest_path, inputs):
                project.preparer.prepare(project)
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
    return project.manifest_path
