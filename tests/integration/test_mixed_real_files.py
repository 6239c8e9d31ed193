"""A folder of real files exported by other systems (ONAP, TM Forum samples) builds to completion.

Every record of every file is accounted for in the ledger, whatever the file holds: loaded,
or quarantined with a reason. The same resource delivered in several files is kept once.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from orchestration import paths
from orchestration.ingest.ledger import read_ledger

pytestmark = pytest.mark.integration

SAMPLES = paths.repo_root().parent / "shared" / "samples"


def test_mixed_real_files_build_to_completion(tmp_path: Path) -> None:
    if not SAMPLES.is_dir():
        pytest.skip(f"{SAMPLES} is absent (shared samples sit beside the project)")
    from orchestration.build import build_all

    landing, data = tmp_path / "landing", tmp_path / "data"
    shutil.copytree(SAMPLES, landing)
    shutil.copytree(paths.repo_root() / "seeds" / "inventory", landing / "inventory")

    build_all(landing, data, progress=False)

    ledger = read_ledger(data)
    sample_files = {
        str(p.relative_to(landing))
        for p in landing.rglob("*")
        if p.is_file() and p.name != "SOURCES.md"
    }
    assert sample_files <= set(ledger["file_path"]), "a landing file is missing from the ledger"
    for row in ledger.iter_rows(named=True):
        assert row["rows_in"] == row["rows_loaded"] + row["rows_quarantined"], row["file_path"]
        if row["status"] == "quarantined":
            assert row["reason"], f"{row['file_path']} quarantined without a reason"
    assert ledger["rows_quarantined"].sum() > 0, "the invalid samples must be quarantined"
    with duckdb.connect(str(paths.serving_path(data)), read_only=True) as con:
        orders = con.execute("select count(*), count(distinct order_id) from fct_product_orders")
        total, distinct = orders.fetchone()
    assert total == distinct, "a resource delivered in several files is kept once"
