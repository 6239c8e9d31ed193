"""Serve the Dagster UI (webserver + daemon, via `dagster dev`) and the Streamlit dashboards.

Both run as child processes in their own process groups; Ctrl-C (or SIGTERM) stops both: first
politely (SIGINT, so `dagster dev` stops its webserver and daemon), then firmly after a grace
period.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from orchestration import paths

GRACE_SECONDS = 15


def _environment(landing: Path, data: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["ITOT_LANDING"] = str(landing)
    env["ITOT_DATA"] = str(data)
    # Run history lives in the data folder, not in a temporary folder.
    env["DAGSTER_HOME"] = str(paths.prepare_dagster_home(data))
    return env


def _commands(host: str, dagster_port: int, dashboard_port: int) -> dict[str, list[str]]:
    bin_dir = Path(sys.executable).parent
    return {
        "Dagster UI": [
            str(bin_dir / "dagster"),
            "dev",
            "-m",
            "orchestration.definitions",
            "--host",
            host,
            "--port",
            str(dagster_port),
        ],
        "dashboards": [
            str(bin_dir / "streamlit"),
            "run",
            str(paths.repo_root() / "dashboards" / "app.py"),
            "--server.address",
            host,
            "--server.port",
            str(dashboard_port),
            "--server.headless",
            "true",
            "--browser.gatherUsageStats",
            "false",
        ],
    }


def _stop(children: dict[str, subprocess.Popen]) -> None:
    for proc in children.values():
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGINT)
    deadline = time.monotonic() + GRACE_SECONDS
    for proc in children.values():
        try:
            proc.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def serve(landing: Path, data: Path, host: str, dagster_port: int, dashboard_port: int) -> int:
    """Run both servers until Ctrl-C or until one of them exits; returns an exit code."""
    env = _environment(landing, data)

    def _terminate(signum, frame):  # SIGTERM behaves like Ctrl-C
        raise KeyboardInterrupt

    # Python leaves SIGINT ignored when it started ignored (a command started with `&` from a
    # script inherits that): Ctrl-C must stop both servers however `itot serve` was started.
    # Installed before the children start: a handler, unlike an ignored signal, does not pass
    # to them, so they stop on the SIGINT that `_stop` sends them.
    signal.signal(signal.SIGINT, _terminate)
    signal.signal(signal.SIGTERM, _terminate)
    children: dict[str, subprocess.Popen] = {}
    try:
        for name, command in _commands(host, dagster_port, dashboard_port).items():
            children[name] = subprocess.Popen(
                command, cwd=paths.repo_root(), env=env, start_new_session=True
            )
        shown = "localhost" if host in ("127.0.0.1", "0.0.0.0") else host
        print(
            f"\n  Dagster UI:  http://{shown}:{dagster_port}\n"
            f"  Dashboards:  http://{shown}:{dashboard_port}\n"
            f"  data: {data}   landing: {landing}\n  Press Ctrl-C to stop both.\n",
            flush=True,
        )
        while True:
            for name, proc in children.items():
                if proc.poll() is not None:
                    print(f"{name} exited with code {proc.returncode}; stopping.", file=sys.stderr)
                    return proc.returncode or 1
            time.sleep(0.5)
    except KeyboardInterrupt:
        print("\nstopping Dagster UI and dashboards ...", flush=True)
        return 0
    finally:
        _stop(children)
