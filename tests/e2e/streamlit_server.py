"""Start and stop `streamlit run dashboards/app.py` on a free loopback port, for browser tests."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
APP = REPO_ROOT / "dashboards" / "app.py"
STARTUP_TIMEOUT_S = 60
STOP_TIMEOUT_S = 10


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


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


def spawn(command: list[str], env: dict[str, str], log: Path) -> subprocess.Popen:
    """`command` started in the repo root in its own process group (so `stop` ends its
    children too), its output in `log`."""
    with log.open("w") as out:
        return subprocess.Popen(
            command,
            cwd=REPO_ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def start_streamlit(data_dir: Path, log: Path, app: Path = APP) -> tuple[subprocess.Popen, str]:
    """A healthy server of `app` reading `data_dir` (its own process group, output in `log`);
    its URL."""
    port = free_port()
    proc = spawn(
        [
            sys.executable, "-m", "streamlit", "run", str(app),
            "--server.port", str(port),
            "--server.address", "127.0.0.1",
            "--server.headless", "true",
            "--server.fileWatcherType", "none",
            "--browser.gatherUsageStats", "false",
        ],
        dict(os.environ, ITOT_DATA=str(data_dir)),
        log,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(url, proc, log)
    except BaseException:
        stop(proc)
        raise
    return proc, url


def stop(proc: subprocess.Popen) -> None:
    """Stop a server we started (its own process group): politely, then firmly."""
    if proc.poll() is not None:
        return
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=STOP_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=STOP_TIMEOUT_S)


def wait_settled(page, timeout_s: float = 30.0, poll_ms: int = 750) -> str:
    """Wait until the page's script run finished and its text stayed the same for one poll
    (a Playwright page); return that text."""
    page.wait_for_selector('[data-testid="stMain"] h1', timeout=timeout_s * 1000)
    deadline = time.monotonic() + timeout_s
    seen: list[str] = []
    while time.monotonic() < deadline:
        running = page.locator('[data-testid="stStatusWidget"]').count() > 0
        seen = [*seen[-1:], "" if running else page.locator("body").inner_text()]
        if len(seen) == 2 and seen[0] and seen[0] == seen[1]:
            return seen[0]
        page.wait_for_timeout(poll_ms)
    raise AssertionError(f"page did not settle within {timeout_s}s")


# Records, in the page, the time (ms since navigation started) of the last change to what the
# user sees: any DOM mutation outside Streamlit's status widget (the "Running…" indicator) and
# the top decoration bar. Installed before the page's own scripts run (context.add_init_script).
RENDER_OBSERVER_JS = """
(() => {
  window.__itotLastChange = performance.now();
  const ignored = '[data-testid="stStatusWidget"], [data-testid="stDecoration"]';
  const observe = () => new MutationObserver((records) => {
    for (const record of records) {
      const node = record.target.nodeType === 1 ? record.target : record.target.parentElement;
      if (!node || !node.closest(ignored)) {
        window.__itotLastChange = performance.now();
        return;
      }
    }
  }).observe(document.documentElement,
             {subtree: true, childList: true, attributes: true, characterData: true});
  if (document.documentElement) observe();
  else document.addEventListener('DOMContentLoaded', observe);
})();
"""

_RENDER_STATE_JS = """
() => {
  const app = document.querySelector('[data-testid="stApp"]');
  const plots = [...document.querySelectorAll('.js-plotly-plot')];
  return {
    state: app ? app.getAttribute('data-test-script-state') : null,
    title: (document.querySelector('[data-testid="stMain"] h1') || {}).innerText || null,
    plots: plots.length,
    drawn: plots.filter((p) => p.querySelector('.main-svg')).length,
    stale: document.querySelectorAll('[data-stale="true"]').length,
    lastChange: window.__itotLastChange,
    now: performance.now(),
  };
}
"""


def wait_rendered(
    page,
    timeout_s: float = 60.0,
    quiet_ms: int = 500,
    *,
    title: str | None = None,
    since_ms: float = 0.0,
) -> float:
    """Seconds from `since_ms` (the page's clock: 0 is the start of its navigation) to the page's
    last visible change, once it is fully rendered: the script run has finished, the page's
    title is shown (`title`, when given: the page navigated to), every Plotly chart has drawn
    its SVG, nothing is stale, and the page has not changed for `quiet_ms`. The page's context
    must carry `RENDER_OBSERVER_JS` as an init script."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        s = page.evaluate(_RENDER_STATE_JS)
        done = (
            s["title"]
            and (title is None or s["title"].strip() == title)
            and s["state"] == "notRunning"
            and s["drawn"] == s["plots"]
            and not s["stale"]
            and s["lastChange"] is not None
        )
        if done and s["now"] - s["lastChange"] >= quiet_ms:
            return (s["lastChange"] - since_ms) / 1000
        page.wait_for_timeout(50)
    raise AssertionError(f"page not rendered within {timeout_s}s: {s}")
