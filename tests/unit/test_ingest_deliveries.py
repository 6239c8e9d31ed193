"""The ledger keyed by checksum: duplicate deliveries load once, corrections replace rows."""

from __future__ import annotations

import os
import shutil
from datetime import UTC, datetime
from pathlib import Path

import polars as pl
import pytest

from orchestration.ingest.deliveries import plan_deliveries
from orchestration.ingest.landing import scan_landing
from orchestration.ingest.ledger import LEDGER_SCHEMA, read_ledger
from orchestration.ingest.quarantine import read_quarantine
from orchestration.ingest.run import ingest_dataset
from orchestration.sources import DATASETS

LANDING = Path(__file__).parents[1] / "fixtures" / "landing"
NOKIA = "pm/oss-nokia/A20240101.0000+0000-20240102.0000+0000_oss-nokia.xml"
ALARMS = "alarms/ves_faults_20240101.json"
SURVEYS = "surveys/survey_responses.csv"


# --- the plan (pure) ---------------------------------------------------------------------------


def _scan(*files: tuple[str, str, int]) -> pl.DataFrame:
    """Scan rows of (path, checksum, mtime second)."""
    return pl.DataFrame(
        [
            {
                "file_key": f"k-{path}",
                "file_path": path,
                "format": "fmt",
                "checksum_sha256": checksum,
                "size_bytes": 10,
                "modified_at": datetime.fromtimestamp(mtime, UTC),
            }
            for path, checksum, mtime in files
        ]
    )


def _ledger_of(scan: pl.DataFrame, prior: pl.DataFrame | None = None) -> pl.DataFrame:
    """The ledger an ingest writes after planning `scan` against `prior` (rows elsewhere kept)."""
    prior = prior if prior is not None else pl.DataFrame(schema=LEDGER_SCHEMA)
    plan = plan_deliveries(scan, prior)
    rows = [
        {
            "file_key": d.file_key,
            "file_path": d.file_path,
            "format": "fmt",
            "checksum_sha256": d.checksum,
            "status": "duplicate" if d.is_duplicate else "loaded",
            "duplicate_of": d.duplicate_of,
            "previous_checksum": d.previous_checksum,
        }
        for d in plan.values()
    ]
    kept = prior.filter(~pl.col("file_key").is_in([r["file_key"] for r in rows]))
    written = pl.DataFrame(rows).with_columns(
        pl.lit(None, dtype=dtype).alias(name)
        for name, dtype in LEDGER_SCHEMA.items()
        if name not in rows[0]
    )
    return pl.concat([kept, written.select(list(LEDGER_SCHEMA)).cast(LEDGER_SCHEMA)])


def _duplicates(plan) -> dict[str, str]:
    return {d.file_path: d.duplicate_of for d in plan.values() if d.is_duplicate}


def test_the_later_copy_of_the_same_bytes_is_the_duplicate() -> None:
    scan = _scan(("a.xml", "c1", 20), ("b.xml", "c1", 10), ("c.xml", "c2", 5))
    plan = plan_deliveries(scan, pl.DataFrame(schema=LEDGER_SCHEMA))
    assert _duplicates(plan) == {"a.xml": "b.xml"}  # b arrived first


def test_the_plan_is_a_fixed_point_of_its_own_ledger() -> None:
    scan = _scan(("a.xml", "c1", 10), ("b.xml", "c1", 10), ("c.xml", "c1", 30))
    first = plan_deliveries(scan, pl.DataFrame(schema=LEDGER_SCHEMA))
    ledger = _ledger_of(scan)
    # even if the loaded copy's mtime now looks later, the ledger keeps it the owner
    touched = scan.with_columns(
        pl.when(pl.col("file_path") == "a.xml")
        .then(pl.lit(datetime(2030, 1, 1, tzinfo=UTC)))
        .otherwise(pl.col("modified_at"))
        .alias("modified_at")
    )
    assert plan_deliveries(touched, ledger) == first
    assert _duplicates(first) == {"b.xml": "a.xml", "c.xml": "a.xml"}


def test_a_copy_arriving_later_is_a_duplicate_of_the_loaded_one() -> None:
    ledger = _ledger_of(_scan(("z.xml", "c1", 50)))
    plan = plan_deliveries(_scan(("a.xml", "c1", 10), ("z.xml", "c1", 50)), ledger)
    assert _duplicates(plan) == {"a.xml": "z.xml"}  # a is older on disk but came second


def test_a_corrected_redelivery_names_the_checksum_it_replaced_on_every_rerun() -> None:
    ledger = _ledger_of(_scan(("a.xml", "c1", 10)))
    corrected = _scan(("a.xml", "c2", 20))
    plan = plan_deliveries(corrected, ledger)
    assert plan["k-a.xml"].previous_checksum == "c1" and not plan["k-a.xml"].is_duplicate
    again = plan_deliveries(corrected, _ledger_of(corrected, ledger))
    assert again["k-a.xml"].previous_checksum == "c1"


def test_the_old_bytes_of_a_corrected_file_load_from_their_other_copy() -> None:
    ledger = _ledger_of(_scan(("a.xml", "c1", 10), ("b.xml", "c1", 20)))
    scan = _scan(("a.xml", "c2", 30), ("b.xml", "c1", 20))
    plan = plan_deliveries(scan, ledger)
    assert _duplicates(plan) == {}  # a holds new bytes; b is now the only copy of c1
    assert plan_deliveries(scan, _ledger_of(scan, ledger)) == plan


def test_copies_of_bytes_loaded_by_a_file_that_left_the_zone_are_duplicates() -> None:
    ledger = _ledger_of(_scan(("old.xml", "c1", 10)))
    plan = plan_deliveries(_scan(("new.xml", "c1", 20)), ledger)
    assert _duplicates(plan) == {"new.xml": "old.xml"}


def test_unrecognised_and_empty_files_are_never_duplicates() -> None:
    scan = _scan(("a", "c1", 1), ("b", "c1", 2), ("e1", "c0", 3), ("e2", "c0", 4))
    scan = scan.with_columns(
        pl.when(pl.col("file_path").is_in(["a", "b"]))
        .then(pl.lit(None, dtype=pl.String))
        .otherwise(pl.col("format"))
        .alias("format"),
        pl.when(pl.col("file_path").str.starts_with("e"))
        .then(0)
        .otherwise(pl.col("size_bytes"))
        .alias("size_bytes"),
    )
    assert _duplicates(plan_deliveries(scan, pl.DataFrame(schema=LEDGER_SCHEMA))) == {}


# --- ingest on a real landing zone -------------------------------------------------------------


@pytest.fixture()
def zone(tmp_path: Path) -> tuple[Path, Path]:
    landing = tmp_path / "landing"
    shutil.copytree(LANDING, landing)
    return landing, tmp_path / "data"


def ingest_all(landing: Path, data: Path) -> None:
    """What a build's ingest does: scan, then every dataset."""
    scan_landing(landing, data)
    for dataset in DATASETS:
        ingest_dataset(dataset, landing, data)


def bronze_frame(data: Path, dataset: str) -> pl.DataFrame:
    frame = pl.read_parquet(data / "bronze" / dataset / "**" / "*.parquet")
    return frame.drop("source_file", "source_record").sort(frame.columns[:-2])


def _later(path: Path, seconds: int = 60) -> None:
    stat = path.stat()
    os.utime(path, (stat.st_atime + seconds, stat.st_mtime + seconds))


def test_same_bytes_under_another_name_load_once(zone: tuple[Path, Path]) -> None:
    landing, data = zone
    ingest_all(landing, data)
    before = {d: bronze_frame(data, d) for d in ("pm_counters", "alarm_events")}
    for rel, copy in ((NOKIA, "pm/resent/nokia_copy.xml"), (ALARMS, "alarms/resent.json")):
        target = landing / copy
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(landing / rel, target)
        _later(target)
    ingest_all(landing, data)
    ingest_all(landing, data)  # and a re-run changes nothing

    for dataset, frame in before.items():
        assert bronze_frame(data, dataset).equals(frame), f"{dataset} counted twice"
    ledger = read_ledger(data)
    dup = ledger.filter(pl.col("status") == "duplicate")
    assert dict(dup.select("file_path", "duplicate_of").iter_rows()) == {
        "pm/resent/nokia_copy.xml": NOKIA,
        "alarms/resent.json": ALARMS,
    }
    assert dup.select("rows_in", "rows_loaded", "rows_quarantined").sum().row(0) == (0, 0, 0)
    assert (ledger["rows_in"] == ledger["rows_loaded"] + ledger["rows_quarantined"]).all()
    for key in dup["file_key"]:
        assert not list((data / "bronze").glob(f"*/day=*/{key}*.parquet"))


def test_the_same_name_delivered_again_with_the_same_bytes_changes_nothing(
    zone: tuple[Path, Path],
) -> None:
    landing, data = zone
    ingest_all(landing, data)
    before = bronze_frame(data, "pm_counters")
    nokia = landing / NOKIA
    nokia.write_bytes(nokia.read_bytes())  # re-delivered: new mtime, same bytes
    _later(nokia)
    ingest_all(landing, data)
    assert bronze_frame(data, "pm_counters").equals(before)
    row = read_ledger(data).filter(pl.col("file_path") == NOKIA).row(0, named=True)
    assert row["status"] == "loaded" and row["previous_checksum"] is None


def test_a_corrected_redelivery_replaces_its_rows_and_rejects(zone: tuple[Path, Path]) -> None:
    landing, data = zone
    survey = landing / SURVEYS
    good = survey.read_text()
    survey.write_text(good + "SRV-9,CUST-9,2024-01-01,app,42,\n")  # nps 42: rejected
    ingest_all(landing, data)
    first = read_ledger(data).filter(pl.col("file_path") == SURVEYS).row(0, named=True)
    assert (first["rows_loaded"], first["rows_quarantined"]) == (3, 1)
    assert read_quarantine(data).filter(pl.col("file_path") == SURVEYS).height == 1

    # the corrected file: the bad line fixed, one response changed
    corrected = good.replace("SRV-", "SRV-X", 1) + "SRV-9,CUST-9,2024-01-01,app,9,\n"
    survey.write_text(corrected)
    ingest_all(landing, data)
    rows = pl.read_parquet(data / "bronze/survey_responses/**/*.parquet")
    assert rows.height == 4 and rows["source_file"].unique().to_list() == [SURVEYS]
    assert "SRV-9" in rows["response_id"].to_list()
    assert read_quarantine(data).filter(pl.col("file_path") == SURVEYS).is_empty()
    row = read_ledger(data).filter(pl.col("file_path") == SURVEYS).row(0, named=True)
    assert (row["status"], row["rows_loaded"], row["rows_quarantined"]) == ("loaded", 4, 0)
    assert row["previous_checksum"] == first["checksum_sha256"] != row["checksum_sha256"]
