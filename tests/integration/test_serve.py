"""`itot serve` starts the Dagster UI (webserver + daemon) and the dashboards; Ctrl-C stops
both, even when `itot serve` was started with SIGINT ignored (as a command started with `&` from a
script is): the servers must not outlive it."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.integration


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_http(url: str, timeout: float) -> int:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                return response.status
        except OSError:
            time.sleep(0.5)
    raise AssertionError(f"{url} did not answer within {timeout} s")


def test_serve_starts_both_and_stops_on_ctrl_c(demo_copy) -> None:
    # A copy: the Dagster UI and its daemon write run history into the data folder, which the
    # other test worker may be copying from the shared demo build at the same moment.
    landing, data = demo_copy
    dagster_port, dashboard_port = free_port(), free_port()
    env = {k: v for k, v in os.environ.items() if k != "DAGSTER_HOME"}
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "orchestration.cli",
            "serve",
            "--landing",
            str(landing),
            "--data",
            str(data),
            "--dagster-port",
            str(dagster_port),
            "--dashboard-port",
            str(dashboard_port),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
        start_new_session=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_IGN),
    )
    try:
        assert wait_http(f"http://127.0.0.1:{dashboard_port}/_stcore/health", 90) == 200
        assert wait_http(f"http://127.0.0.1:{dagster_port}/server_info", 120) == 200
        # Run history goes to the data folder, never to a temporary DAGSTER_HOME.
        assert (Path(data) / "dagster").is_dir()
        os.killpg(proc.pid, signal.SIGINT)
        out, _ = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    assert proc.returncode == 0, out
    assert f"http://localhost:{dagster_port}" in out
    assert f"http://localhost:{dashboard_port}" in out
    for port in (dagster_port, dashboard_port):
        with socket.socket() as sock:
            assert sock.connect_ex(("127.0.0.1", port)) != 0, f"port {port} still served"
