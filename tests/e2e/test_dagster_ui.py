"""The Dagster UI after `itot build`, in a real browser (headless Debian Chromium): the asset
graph, a day's partition of a bronze asset (materialised: a plain build records every day it
wrote, the other partitions are missing) and a failed check, each with a screenshot in
test-output/screenshots/; no onboarding modal on the way.

The webserver serves a private copy of the shared demo build (`demo_copy`), in which the cell
inventory gets a duplicate cell and its checks run again: a real blocking check fails.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import dagster as dg
import pytest

from orchestration import paths
from orchestration.defs.quality.assets import DATA_QUALITY_RESULTS
from tests.e2e.conftest import OUTPUT_DIR, SCREENSHOT_DIR, laptop_tab
from tests.e2e.dagster_server import graphql, start_dagster_webserver, stop, wait_loaded

pytestmark = pytest.mark.e2e

DAY = "2026-01-15"
BRONZE = "bronze_pm_counters"
INVENTORY = "bronze_inventory_cells"
MODAL = "Join the Dagster community"  # the onboarding (nux) modal's title
PARTITION_STATS = """
query Stats($key: AssetKeyInput!) { assetNodeOrError(assetKey: $key) { ... on AssetNode {
  partitionStats { numMaterialized numPartitions numFailed numMaterializing } } } }
"""
_QUIET = {"loggers": {"console": {"config": {"log_level": "WARNING"}}}}


def fail_the_inventory_check(landing: Path, data: Path, monkeypatch) -> dg.AssetCheckEvaluation:
    """A duplicate cell in the landing inventory, then landing scan, inventory ingest, the
    quality suites and the inventory's checks in one run recorded in the data folder's instance:
    `expectations` fails (ERROR)."""
    from orchestration.definitions import defs

    cells = landing / "inventory" / "cells.csv"
    lines = cells.read_text(encoding="utf-8").splitlines()
    cells.write_text("\n".join([*lines, lines[1]]) + "\n", encoding="utf-8")
    monkeypatch.setenv(paths.LANDING_ENV, str(landing))
    monkeypatch.setenv(paths.DATA_ENV, str(data))
    job = defs.resolve_implicit_global_asset_job_def()
    with dg.DagsterInstance.from_config(str(paths.prepare_dagster_home(data))) as instance:
        result = job.execute_in_process(
            instance=instance,
            raise_on_error=False,
            run_config=_QUIET,
            # data_quality_results runs the suites; the bronze checks report what it found
            asset_selection=[
                dg.AssetKey("landing_files"),
                dg.AssetKey(INVENTORY),
                DATA_QUALITY_RESULTS,
            ],
        )
    (check,) = [
        e.asset_check_evaluation_data
        for e in result.all_events
        if e.event_type_value == "ASSET_CHECK_EVALUATION"
        and e.asset_check_evaluation_data.check_name == "expectations"
    ]
    return check


@pytest.fixture
def dagster_ui(demo_copy, monkeypatch) -> Iterator[str]:
    """The URL of a webserver on a copy of the demo build with one failed check."""
    landing, data = demo_copy
    OUTPUT_DIR.mkdir(parents=True, exist_ok=True)
    log = OUTPUT_DIR / "dagster-webserver-e2e.log"
    proc, url = start_dagster_webserver(landing, data, log)
    try:
        check = fail_the_inventory_check(landing, data, monkeypatch)  # while the server starts
        assert not check.passed and check.severity == dg.AssetCheckSeverity.ERROR
        wait_loaded(proc, url, log)
        yield url
    finally:
        stop(proc)


@pytest.fixture
def tab(chromium):
    with laptop_tab(chromium) as page:
        yield page


def _open(page, url: str, wait_for: str | re.Pattern, name: str) -> str:
    """Open `url`, wait for `wait_for` to show, save a screenshot; the page's text."""
    page.goto(url)
    page.get_by_text(wait_for).first.wait_for()
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOT_DIR / f"dagster-{name}.png"))
    text = page.locator("body").inner_text()
    assert MODAL not in text and page.locator('[role="dialog"]').count() == 0, name
    return text


def test_the_ui_shows_the_built_days_and_a_failed_check(dagster_ui: str, tab) -> None:
    url = dagster_ui
    assert graphql(url, "{ shouldShowNux }")["shouldShowNux"] is False
    stats = graphql(url, PARTITION_STATS, {"key": {"path": [BRONZE]}})["assetNodeOrError"]
    stats = stats["partitionStats"]
    assert stats["numMaterialized"] == 59 and stats["numFailed"] == 0, json.dumps(stats)
    missing = stats["numPartitions"] - 59  # the days after the demo's, up to today

    graph = _open(tab, f"{url}/asset-groups", "Materialize all", "asset-graph")
    for group in ("landing", "network", "customer", "staging", "marts", "serving"):
        assert group in graph.split("\n"), group

    # the day's panel, once its latest materialisation (the build's, with its metadata) shows
    partition = _open(
        tab,
        f"{url}/assets/{BRONZE}?view=partitions&partition={DAY}",
        re.compile(r"View all historical events \([1-9]"),
        "day-partition",
    )
    assert "Materialized (59)" in partition and f"Missing ({missing})" in partition
    assert "Failed (0)" in partition and f"{DAY}\nMaterialized\n" in partition
    assert "source_files" in partition and f"day={DAY}" in partition

    checks = _open(tab, f"{url}/assets/{INVENTORY}?view=checks", "Evaluation result", "check")
    assert "expectations\nFailed" in checks and "freshness\nSucceeded" in checks
    # a failed ERROR expectation blocks the dataset's dbt models (not Dagster's run): the check
    # says so in its metadata (orchestration/quality/blocking.py)
    assert "blocked\ninventory_cells blocked by expectations" in checks
