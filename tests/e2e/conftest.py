"""Fixtures for the real-browser tests: a running Streamlit server and a headless Chromium.

The server reads the demo operator built by `demo_build` (tests/conftest.py); the Dagster UI
test starts its own webserver (`tests/e2e/dagster_server.py`).
Chromium is Debian's (`apt-get install chromium`): Playwright cannot download browsers here, and
the tests skip cleanly when it is missing.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.e2e.streamlit_server import start_streamlit, stop

REPO_ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
OUTPUT_DIR = REPO_ROOT / "test-output"
SCREENSHOT_DIR = OUTPUT_DIR / "screenshots"


@pytest.fixture(scope="session")
def dashboard_data_dir(demo_build) -> Path:
    """The data dir the dashboards read: the demo operator built by `demo_build`."""
    _, data_dir = demo_build
    return Path(data_dir)


@pytest.fixture(scope="session")
def dashboard_url(dashboard_data_dir: Path) -> Iterator[str]:
    """Base URL of `streamlit run dashboards/app.py` serving `dashboard_data_dir`."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium)")
    OUTPUT_DIR.mkdir(parents=True, exist_ok=True)
    proc, url = start_streamlit(dashboard_data_dir, OUTPUT_DIR / "streamlit-e2e.log")
    try:
        yield url
    finally:
        stop(proc)


@pytest.fixture(scope="session")
def browser(dashboard_url: str, chromium):
    """The headless Chromium, once the dashboards serve."""
    return chromium


@pytest.fixture(scope="session")
def chromium():
    """A headless Debian Chromium driven by Playwright."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium)")
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


@contextmanager
def laptop_tab(browser) -> Iterator:
    """A fresh laptop-sized tab (1440×900) with bounded default timeouts."""
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    tab = context.new_page()
    tab.set_default_timeout(30_000)
    try:
        yield tab
    finally:
        context.close()


@pytest.fixture
def page(browser):
    """A fresh laptop-sized tab of the dashboards' browser."""
    with laptop_tab(browser) as tab:
        yield tab
