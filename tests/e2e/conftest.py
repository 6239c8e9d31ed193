"""Fixtures for the real-browser tests: a running Streamlit server and a headless Chromium.

The server reads the demo operator built by `demo_build` (tests/conftest.py).
Chromium is Debian's (`apt-get install chromium`): Playwright cannot download browsers here, and
the tests skip cleanly when it is missing.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
APP = REPO_ROOT / "dashboards" / "app.py"
CHROMIUM = Path("/usr/bin/chromium")
OUTPUT_DIR = REPO_ROOT / "test-output"
SCREENSHOT_DIR = OUTPUT_DIR / "screenshots"
STARTUP_TIMEOUT_S = 60
STOP_TIMEOUT_S = 10


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def dashboard_data_dir(demo_build) -> Path:
    """The data dir the dashboards read: the demo operator built by `demo_build`."""
    _, data_dir = demo_build
    return Path(data_dir)


def _wait_healthy(url: str, proc: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited with {proc.returncode}:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as resp:
                if resp.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"streamlit not healthy after {STARTUP_TIMEOUT_S}s:\n{log.read_text()}")


def _stop(proc: subprocess.Popen) -> None:
    """Stop the server we started (its own process group): politely, then firmly."""
    if proc.poll() is not None:
        return
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=STOP_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=STOP_TIMEOUT_S)


@pytest.fixture(scope="session")
def dashboard_url(dashboard_data_dir: Path) -> Iterator[str]:
    """Base URL of `streamlit run dashboards/app.py` serving `dashboard_data_dir`."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium)")
    port = _free_port()
    OUTPUT_DIR.mkdir(parents=True, exist_ok=True)
    log = OUTPUT_DIR / "streamlit-e2e.log"
    env = dict(os.environ, ITOT_DATA=str(dashboard_data_dir))
    with log.open("w") as out:
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "streamlit",
                "run",
                str(APP),
                "--server.port",
                str(port),
                "--server.address",
                "127.0.0.1",
                "--server.headless",
                "true",
                "--server.fileWatcherType",
                "none",
                "--browser.gatherUsageStats",
                "false",
            ],
            cwd=REPO_ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(url, proc, log)
        yield url
    finally:
        _stop(proc)


@pytest.fixture(scope="session")
def browser(dashboard_url: str):
    """A headless Debian Chromium driven by Playwright."""
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
            timeout=30_000,
        )
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def page(browser):
    """A fresh laptop-sized tab (1440×900) with bounded default timeouts."""
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    tab = context.new_page()
    tab.set_default_timeout(30_000)
    try:
        yield tab
    finally:
        context.close()
