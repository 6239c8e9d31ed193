"""A folder of real files exported by other systems (ONAP, O-RAN SC, TM Forum samples, the
conformance suite) builds, and `itot inspect` told the truth about it beforehand.

The folder also holds one invented fault, a VES batch that breaks the alarm dataset's ERROR check
(a duplicate key): the build still publishes the snapshot with every other dataset's marts, holds
back only the alarm models (stale, with the reason), and the real files block nothing else.

Every record of every file is accounted for in the ledger, whatever the file holds: loaded,
or quarantined with a reason. The same resource delivered in several files is kept once.
Property: for every file, the dry run of `itot inspect` before the build and the ledger the build
wrote agree, per file and per dataset, on format, status, rows loaded and quarantined and reason.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from orchestration import paths
from orchestration.ingest.dry_run import dry_run
from orchestration.ingest.ledger import read_ledger
from orchestration.ingest.ledger_files import files_view
from orchestration.quality.blocking import blocked_datasets
from orchestration.quality.results import read_results
from tests.fault_files import ves_same_key_twice

pytestmark = pytest.mark.integration

SAMPLES = paths.repo_root().parent / "shared" / "samples"
REAL = paths.repo_root() / "tests" / "conformance" / "real"
NOT_FILES = {"SOURCES.md", "expected.json", "README.md"}


def real_files() -> list[Path]:
    """The conformance suite's data files (tests/conformance/real/<family>/*)."""
    return sorted(p for p in REAL.glob("*/*") if p.is_file() and p.name not in NOT_FILES)


@pytest.mark.seconds(65)
def test_mixed_real_files_build_to_completion(tmp_path: Path) -> None:
    conformance = real_files()
    if not SAMPLES.is_dir() and not conformance:
        pytest.skip(f"{SAMPLES} is absent and {REAL} holds no file")
    from orchestration.build import BuildError, build_all

    landing, data = tmp_path / "landing", tmp_path / "data"
    if SAMPLES.is_dir():
        shutil.copytree(SAMPLES, landing / "samples")
    for path in conformance:
        target = landing / "conformance" / path.relative_to(REAL)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, target)
    shutil.copytree(paths.repo_root() / "seeds" / "inventory", landing / "inventory")
    demo_alarms = sorted((paths.repo_root() / "seeds" / "alarms").glob("*.json"))[0]
    (landing / "faults").mkdir()
    (landing / "faults" / "ves_same_key.json").write_text(
        ves_same_key_twice(demo_alarms), encoding="utf-8"
    )

    inspected = {f["file_path"]: f for f in dry_run(landing).files()}
    built_result = None
    try:
        built_result = build_all(landing, data, progress=False)
        build_error = None
    except BuildError as exc:  # the ledger is written by ingest, before any check: see below
        build_error = exc

    ledger = read_ledger(data)
    landing_files = {
        p.relative_to(landing).as_posix()
        for p in landing.rglob("*")
        if p.is_file() and p.name != "SOURCES.md"
    }
    assert landing_files <= set(ledger["file_path"]), "a landing file is missing from the ledger"
    for row in ledger.iter_rows(named=True):
        assert row["rows_in"] == row["rows_loaded"] + row["rows_quarantined"], row["file_path"]
        if row["status"] == "quarantined":
            assert row["reason"], f"{row['file_path']} quarantined without a reason"
    assert ledger["rows_quarantined"].sum() > 0, "the invalid files must be quarantined"

    built = {f["file_path"]: f for f in files_view(ledger)}
    assert set(built) == set(inspected)
    for path, file in built.items():
        assert file == inspected[path], f"itot inspect and itot build disagree on {path}"

    assert build_error is None, f"real files must build: {build_error}"
    blocks = blocked_datasets(read_results(data))
    assert [b.dataset for b in blocks] == ["alarm_events"], built_result.blocked
    assert built_result.blocked.startswith("BLOCKED: alarm_events blocked by expectations")
    with duckdb.connect(str(paths.serving_path(data)), read_only=True) as con:
        stale = set(con.execute("select model from stale_models").pl()["model"])
        process_events = con.execute("select count(*) from fct_process_events").fetchone()[0]
    assert "stg_network__alarm_events" in stale and "kpi_headline" not in stale, stale
    assert process_events > 0, "the XES and OCEL logs' events reach the marts past the block"
    if SAMPLES.is_dir():
        with duckdb.connect(str(paths.serving_path(data)), read_only=True) as con:
            orders = con.execute(
                "select count(*), count(distinct order_id) from fct_product_orders"
            )
            total, distinct = orders.fetchone()
        assert total == distinct, "a resource delivered in several files is kept once"
