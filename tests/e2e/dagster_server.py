"""Start and stop the Dagster webserver (`dagster-webserver -m orchestration.definitions`) on a
free loopback port, for browser tests, and ask its GraphQL API what the UI shows."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

from orchestration import paths
from tests.e2e.streamlit_server import free_port, spawn, stop

STARTUP_TIMEOUT_S = 120
LOCATION_LOADED = """
{ workspaceOrError { ... on Workspace { locationEntries {
    name loadStatus locationOrLoadError { __typename ... on PythonError { message } } } } } }
"""

__all__ = ["graphql", "start_dagster_webserver", "stop", "wait_loaded"]


def graphql(url: str, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
    """The `data` of one GraphQL request to the webserver at `url`."""
    body = json.dumps({"query": query, "variables": variables or {}}).encode()
    request = urllib.request.Request(
        f"{url}/graphql", data=body, headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        payload = json.load(response)
    if payload.get("errors"):
        raise RuntimeError(f"GraphQL errors: {payload['errors']}")
    return payload["data"]


def _location_loaded(url: str) -> bool:
    try:
        entries = graphql(url, LOCATION_LOADED)["workspaceOrError"]["locationEntries"]
    except OSError:
        return False
    for entry in entries:
        error = entry["locationOrLoadError"]
        if error and error["__typename"] == "PythonError":
            raise RuntimeError(f"code location failed to load: {error['message']}")
    return bool(entries) and all(e["loadStatus"] == "LOADED" for e in entries)


def start_dagster_webserver(landing: Path, data: Path, log: Path) -> tuple[subprocess.Popen, str]:
    """A webserver starting to serve the instance of `data` (its own process group, output in
    `log`), and its URL; `wait_loaded` waits until its code location has loaded."""
    port = free_port()
    env = dict(
        os.environ,
        **{
            paths.LANDING_ENV: str(landing),
            paths.DATA_ENV: str(data),
            paths.DAGSTER_HOME_ENV: str(paths.prepare_dagster_home(data)),
        },
    )
    command = [
        sys.executable, "-m", "dagster_webserver",
        "-m", "orchestration.definitions",
        "-h", "127.0.0.1", "-p", str(port),
    ]  # fmt: skip
    return spawn(command, env, log), f"http://127.0.0.1:{port}"


def wait_loaded(proc: subprocess.Popen, url: str, log: Path) -> None:
    """Wait until the webserver at `url` answers and its code location has loaded; stops it and
    raises if it exits or takes longer than STARTUP_TIMEOUT_S."""
    try:
        deadline = time.monotonic() + STARTUP_TIMEOUT_S
        while not _location_loaded(url):
            if proc.poll() is not None:
                raise RuntimeError(f"webserver exited with {proc.returncode}:\n{log.read_text()}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"webserver not ready after {STARTUP_TIMEOUT_S}s")
            time.sleep(0.5)
    except BaseException:
        stop(proc)
        raise
