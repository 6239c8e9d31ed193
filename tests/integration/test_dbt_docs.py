"""`make docs` builds the dbt docs site over the built demo warehouse, and it documents every mart:
a description per model, and a description for every column the warehouse actually holds."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from orchestration import paths

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def docs(demo_build, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`make docs` into a copy of the demo's data folder; returns the docs folder."""
    _, data = demo_build
    copy = tmp_path_factory.mktemp("docs_data")
    shutil.copy2(paths.warehouse_path(data), paths.warehouse_path(copy))
    shutil.copytree(data / "bronze", copy / "bronze")
    done = subprocess.run(
        ["make", "--no-print-directory", "docs", f"ITOT_DATA={copy}"],
        cwd=paths.repo_root(),
        env={**os.environ, paths.DATA_ENV: str(copy)},
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return copy / "dbt_docs"


def test_make_docs_writes_the_site(docs: Path) -> None:
    for name in ("index.html", "static_index.html", "manifest.json", "catalog.json"):
        assert (docs / name).is_file(), name
    static = (docs / "static_index.html").read_text(encoding="utf-8")
    assert "fct_cell_quality_hourly" in static  # the manifest is inlined in the static page


def test_every_mart_and_its_columns_are_documented(docs: Path) -> None:
    manifest = json.loads((docs / "manifest.json").read_text(encoding="utf-8"))
    catalog = json.loads((docs / "catalog.json").read_text(encoding="utf-8"))
    marts = {
        uid: node
        for uid, node in manifest["nodes"].items()
        if node["resource_type"] == "model" and node["fqn"][1] == "marts"
    }
    assert {"fct_cell_quality_hourly", "fct_incidents", "kpi_incidents_summary"} <= {
        n["name"] for n in marts.values()
    }
    undocumented = []
    for uid, node in marts.items():
        if not node["description"].strip():
            undocumented.append(node["name"])
        built = catalog["nodes"].get(uid, {}).get("columns", {})
        assert built, f"{node['name']} is not in the warehouse catalog"
        for column in built:
            described = node["columns"].get(column.lower(), {}).get("description", "").strip()
            if not described:
                undocumented.append(f"{node['name']}.{column}")
    assert not undocumented, undocumented


def test_the_dashboard_page_is_an_exposure(docs: Path) -> None:
    manifest = json.loads((docs / "manifest.json").read_text(encoding="utf-8"))
    exposure = manifest["exposures"]["exposure.itot.service_quality_and_experience"]
    assert exposure["label"] == "Service quality and experience"
    reads = {uid.split(".")[-1] for uid in exposure["depends_on"]["nodes"]}
    assert {"fct_cell_quality_hourly", "fct_incidents", "srv_experience_band_slices"} <= reads
