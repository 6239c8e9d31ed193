"""Real-browser journeys through the dashboards (headless Debian Chromium via Playwright).

Every page opens without an exception and leaves a screenshot in test-output/screenshots/;
changing a global filter (region, in the sidebar) in the UI changes the figures and the URL,
that URL opened in a fresh tab restores the same view, and the filter follows to other pages.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.e2e.streamlit_server import wait_settled

pytestmark = pytest.mark.e2e

REPO_ROOT = Path(__file__).resolve().parents[2]
SCREENSHOT_DIR = REPO_ROOT / "test-output" / "screenshots"
PAGES = sorted(
    p.stem for p in (REPO_ROOT / "dashboards" / "views").glob("*.py") if p.stem != "__init__"
)
ORDERS = "orders"
METRIC = '[data-testid="stMetric"]'
METRIC_VALUE = '[data-testid="stMetricValue"]'
ERROR_WORDS = re.compile(r"Traceback|Error|Page not found")
# st.navigation serves its default page at "/" (it has no URL path of its own).
DEFAULT_PAGE = "overview"


def assert_no_error(page) -> None:
    assert page.locator('[data-testid="stException"]').count() == 0
    text = page.locator("body").inner_text()  # includes dialogs, e.g. "Page not found"
    assert not ERROR_WORDS.search(text), text[:2000]


def screenshot(page, name: str) -> None:
    """A laptop-sized view, then the whole page (Streamlit scrolls inside its main block)."""
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOT_DIR / f"{name}.png"))
    height = page.evaluate("() => document.querySelector('[data-testid=\"stMain\"]').scrollHeight")
    page.set_viewport_size({"width": 1440, "height": max(900, min(int(height) + 80, 6000))})
    page.wait_for_timeout(500)
    page.screenshot(path=str(SCREENSHOT_DIR / f"{name}-full.png"))
    page.set_viewport_size({"width": 1440, "height": 900})


# Text inside a KPI tile that the browser cuts (an ellipsis or a clipped box): its box is
# narrower than its content. Inline elements report 0 for both and are never counted.
_CUT_TILE_TEXT = """() => Array.from(document.querySelectorAll('[data-testid="stMetric"] *'))
    .filter(el => el.clientWidth > 0 && el.scrollWidth > el.clientWidth + 1)
    .map(el => el.textContent.trim()).filter(text => text.length > 0)"""


def assert_tiles_whole(page) -> None:
    """Every KPI tile's label and value is shown whole at 1440 px, never cut."""
    assert page.evaluate(_CUT_TILE_TEXT) == []


def tile_value(page, label: str) -> str:
    tile = page.locator(METRIC).filter(has_text=label)
    return tile.locator(METRIC_VALUE).inner_text()


@pytest.mark.parametrize("name", PAGES)
def test_page_opens_without_error(page, dashboard_url: str, name: str) -> None:
    page.goto(dashboard_url if name == DEFAULT_PAGE else f"{dashboard_url}/{name}")
    wait_settled(page)
    assert_no_error(page)
    # A deep link runs through app.py's st.navigation, never Streamlit's pages/-folder mode,
    # which would list the entry script itself as a page called "app".
    assert page.get_by_role("link", name="app", exact=True).count() == 0
    assert_tiles_whole(page)
    screenshot(page, name)


def test_root_opens_overview(page, dashboard_url: str) -> None:
    page.goto(dashboard_url)
    page.wait_for_selector(METRIC)
    wait_settled(page)
    assert_no_error(page)
    assert page.get_by_role("heading", name="Executive overview").count() == 1


def _pick(page, label: str) -> str:
    """Open the multi-select labelled `label`, pick its first option, return the option's text."""
    combo = page.get_by_role("combobox", name=label)
    combo.click()
    option = page.get_by_role("option").filter(has_not_text="Select all").first
    option.wait_for(timeout=10_000)
    channel = option.inner_text().strip()
    option.click()
    page.keyboard.press("Escape")
    return channel


def _wait_tile_changes(page, label: str, before: str) -> None:
    page.wait_for_function(
        """([sel, label, before]) => {
            const tile = [...document.querySelectorAll(sel)]
                .find(t => t.innerText.includes(label));
            return tile && !tile.innerText.includes(before);
        }""",
        arg=[METRIC, label, before],
        timeout=30_000,
    )


def test_region_filter_changes_figures_and_url(page, dashboard_url: str) -> None:
    page.goto(f"{dashboard_url}/{ORDERS}")
    page.wait_for_selector(METRIC)
    wait_settled(page)
    before = tile_value(page, "Orders completed")

    region = _pick(page, "Region")
    _wait_tile_changes(page, "Orders completed", before)
    wait_settled(page)
    assert_no_error(page)
    after = tile_value(page, "Orders completed")
    assert int(after.replace(",", "")) < int(before.replace(",", ""))
    assert "region=" in page.url, page.url
    screenshot(page, "orders-filtered")

    # The URL is the shareable view: a fresh tab opened on it shows the same figures.
    shared = page.context.new_page()
    shared.goto(page.url)
    shared.wait_for_selector(METRIC)
    wait_settled(shared)
    assert tile_value(shared, "Orders completed") == after
    assert region in shared.locator('[data-testid="stSidebar"]').inner_text()
    shared.close()


def test_channel_filter_on_orders_page(page, dashboard_url: str) -> None:
    page.goto(f"{dashboard_url}/{ORDERS}")
    page.wait_for_selector(METRIC)
    wait_settled(page)
    before = tile_value(page, "Orders completed")
    _pick(page, "Channels (this page)")
    _wait_tile_changes(page, "Orders completed", before)
    wait_settled(page)
    assert_no_error(page)
    assert "channel=" in page.url, page.url


def test_filter_follows_to_another_page(page, dashboard_url: str) -> None:
    """A global filter chosen on one page still applies after switching page in the sidebar."""
    page.goto(f"{dashboard_url}/{ORDERS}")
    page.wait_for_selector(METRIC)
    wait_settled(page)
    region = _pick(page, "Region")
    page.wait_for_function("() => location.search.includes('region=')", timeout=30_000)
    wait_settled(page)
    page.get_by_role("link", name="Data health").click()
    page.wait_for_selector("h1:has-text('Data health')")
    wait_settled(page)
    assert_no_error(page)
    assert region in page.locator('[data-testid="stSidebar"]').inner_text()


def test_screenshots_are_written() -> None:
    """Guard for CI artefacts: the per-page screenshots land where the lead collects them."""
    for name in PAGES:
        if not (SCREENSHOT_DIR / f"{name}.png").exists():
            pytest.skip("page screenshots not taken in this run")
    assert all(Path(SCREENSHOT_DIR / f"{n}.png").stat().st_size > 10_000 for n in PAGES)


def test_service_map_renders_without_internet(page, dashboard_url: str) -> None:
    """Every request that is not to the local server is refused: the cell map still draws."""
    outside: list[str] = []

    def only_local(route) -> None:
        url = route.request.url
        if url.startswith(dashboard_url) or url.startswith(("data:", "blob:")):
            route.continue_()
        else:
            outside.append(url)
            route.abort()

    page.route("**/*", only_local)
    page.goto(f"{dashboard_url}/service")
    wait_settled(page)
    assert_no_error(page)
    # Sites are drawn as SVG points on plain axes (no map tiles, no mapbox canvas). The page's
    # script run can end before Plotly has drawn them: wait for the first point (or time out).
    points = page.locator(".js-plotly-plot .scatterlayer .point")
    points.first.wait_for()
    assert points.count() > 0
    assert page.locator(".mapboxgl-map, .maplibregl-map").count() == 0
    assert not [u for u in outside if "tile" in u or "mapbox" in u or "openstreetmap" in u]


def test_predict_act_notices_follow_the_region_and_an_incident_link(
    page, dashboard_url: str, dashboard_data_dir: Path
) -> None:
    """Predict and act: the region filter narrows the notices; an incident in the URL opens
    its messages (one per channel, pseudonymised: no customer id in them)."""
    import duckdb

    with duckdb.connect(str(dashboard_data_dir / "serving.duckdb"), read_only=True) as con:
        incident = con.execute(
            "select incident_id from srv_proactive_notices group by 1 order by count(*) desc, 1"
        ).fetchone()[0]
    page.goto(f"{dashboard_url}/predict_act")
    page.wait_for_selector(METRIC)
    wait_settled(page)
    before = tile_value(page, "Notices")
    _pick(page, "Region")
    _wait_tile_changes(page, "Notices", before)
    wait_settled(page)
    assert_no_error(page)
    assert int(tile_value(page, "Notices").replace(",", "")) < int(before.replace(",", ""))
    assert "region=" in page.url

    page.goto(f"{dashboard_url}/predict_act?incident={incident}")
    page.wait_for_selector(METRIC)
    wait_settled(page)
    assert_no_error(page)
    caption = page.get_by_text(f"{incident}: ", exact=False)
    caption.first.wait_for(timeout=30_000)
    assert re.search(rf"{re.escape(incident)}: [\d,]+ notices", caption.first.inner_text())
    screenshot(page, "predict_act-incident")
