"""The landing-zone sensor, evaluated with Dagster's sensor testing API on a real instance:
a new file -> a run request for each day it touches; the same file again -> nothing."""

from __future__ import annotations

import gzip
import shutil
from pathlib import Path

import dagster as dg
import pytest

from orchestration.defs import partitions
from orchestration.defs.landing.sensor import landing_zone_sensor
from orchestration.defs.resources import ItotPaths
from orchestration.ingest.landing import scan_landing
from orchestration.ingest.run import ingest_dataset
from orchestration.sources import DATASETS

pytestmark = pytest.mark.integration

FIXTURES = Path(__file__).parents[1] / "fixtures" / "landing"
NOKIA = "pm/oss-nokia/A20240101.0000+0000-20240102.0000+0000_oss-nokia.xml"


@pytest.fixture()
def zone(tmp_path: Path, monkeypatch) -> tuple[Path, Path]:
    """A landing zone already built into bronze (so its files are not new); its days (2024)
    are partitions (the session's Definitions start where the demo starts, 2026)."""
    monkeypatch.setattr(partitions, "FIRST_DAY", "2024-01-01")
    landing, data = tmp_path / "landing", tmp_path / "data"
    shutil.copytree(FIXTURES, landing)
    scan_landing(landing, data)
    for dataset in DATASETS:
        ingest_dataset(dataset, landing, data)
    return landing, data


def _home(tmp_path: Path) -> Path:
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    return home


def evaluate(instance, landing: Path, data: Path, cursor: str | None):
    context = dg.build_sensor_context(
        instance=instance,
        cursor=cursor,
        resources={"itot_paths": ItotPaths(landing=str(landing), data=str(data))},
    )
    result = landing_zone_sensor(context)
    if isinstance(result, dg.SkipReason):
        return [], context.cursor, result.skip_message
    return result.run_requests, result.cursor, None


def test_new_files_request_their_days_and_nothing_twice(zone, tmp_path: Path) -> None:
    landing, data = zone
    with dg.DagsterInstance.local_temp(str(_home(tmp_path))) as instance:
        requests, cursor, skipped = evaluate(instance, landing, data, None)
        assert requests == [] and "no new landing file" in skipped  # all already built

        # a late PM file for an old day (another OSS, 2 Jan), and alarms spanning two days
        late = landing / "pm" / "oss-late" / "A20240102.0000+0000-20240103.0000+0000_late.xml.gz"
        late.parent.mkdir()
        late.write_bytes(
            gzip.compress(
                (landing / NOKIA).read_bytes().replace(b"2024-01-01T01:15", b"2024-01-02T01:15")
            )
        )
        requests, cursor, _ = evaluate(instance, landing, data, cursor)
        assert [r.partition_key for r in requests] == ["2024-01-02"]
        assert requests[0].run_key and requests[0].tags["itot/new_files"] == "1"

        # the same file again (touched, not changed), and its bytes under another name
        late.touch()
        shutil.copyfile(late, late.with_name("copy_of_late.xml.gz"))
        requests, cursor, skipped = evaluate(instance, landing, data, cursor)
        assert requests == [] and "1 duplicate deliveries" in skipped

        # an unrecognised file touches no day
        (landing / "notes.txt").write_text("hello")
        requests, cursor, _ = evaluate(instance, landing, data, cursor)
        assert requests == []


def test_a_corrected_file_requests_its_old_and_new_days(zone, tmp_path: Path) -> None:
    landing, data = zone
    with dg.DagsterInstance.local_temp(str(_home(tmp_path))) as instance:
        _, cursor, _ = evaluate(instance, landing, data, None)
        nokia = landing / NOKIA  # its rows were on 1 Jan; the correction moves them to 3 Jan
        nokia.write_bytes(nokia.read_bytes().replace(b"2024-01-01T01:15", b"2024-01-03T01:15"))
        requests, _, _ = evaluate(instance, landing, data, cursor)
        assert sorted(r.partition_key for r in requests) == ["2024-01-01", "2024-01-03"]


def test_a_file_older_than_the_first_partition_asks_for_a_run_of_everything(
    zone, tmp_path: Path, monkeypatch
) -> None:
    """Dagster refuses a run for a day that is no partition: such a file is caught by one
    unpartitioned run, as `itot build` does."""
    landing, data = zone
    monkeypatch.setattr(partitions, "FIRST_DAY", "2024-01-02")
    with dg.DagsterInstance.local_temp(str(_home(tmp_path))) as instance:
        _, cursor, _ = evaluate(instance, landing, data, None)
        nokia = landing / NOKIA  # rows move from 1 Jan to 3 Jan: days 1 and 3 are touched
        nokia.write_bytes(nokia.read_bytes().replace(b"2024-01-01T01:15", b"2024-01-03T01:15"))
        requests, _, _ = evaluate(instance, landing, data, cursor)
        assert [r.partition_key for r in requests] == ["2024-01-03", None]
        assert requests[1].tags["itot/days_before_first"] == "2024-01-01"
        assert requests[1].run_key.startswith("all:")


def test_dagster_accepts_what_the_sensor_asks_for(zone, tmp_path: Path, monkeypatch) -> None:
    """Through Dagster's own tick evaluation (which refuses a key that is no partition): the
    fixture's 2024 days precede the Definitions' first day, so a late file asks for one run
    of everything, which Dagster accepts."""
    from orchestration.definitions import defs

    landing, data = zone
    first = partitions.DAILY.get_first_partition_key()
    if first <= "2024-01-01":
        pytest.skip(f"the Definitions' partitions start at {first} ({partitions.FIRST_DAY_ENV})")
    monkeypatch.setattr(partitions, "FIRST_DAY", first)
    with dg.DagsterInstance.local_temp(str(_home(tmp_path))) as instance:
        _, cursor, _ = evaluate(instance, landing, data, None)
        nokia = landing / NOKIA
        nokia.write_bytes(nokia.read_bytes().replace(b"2024-01-01T01:15", b"2024-01-02T01:15"))
        context = dg.build_sensor_context(
            instance=instance,
            cursor=cursor,
            resources={"itot_paths": ItotPaths(landing=str(landing), data=str(data))},
            repository_def=defs.get_repository_def(),
        )
        tick = landing_zone_sensor.evaluate_tick(context)
    assert tick.skip_message is None and len(tick.run_requests) == 1
    assert tick.run_requests[0].partition_key is None
    assert tick.run_requests[0].tags["itot/days_before_first"] == "2024-01-01"
