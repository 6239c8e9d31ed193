"""Daily partitions: which bronze assets have them, and how a run's days reach dbt."""

from __future__ import annotations

import json
from pathlib import Path

import dagster as dg
import pytest
import yaml

from orchestration import paths
from orchestration.defs.ingest_assets import bronze_asset_key, day_materialization
from orchestration.defs.partitions import (
    DAILY,
    DEMO_FIRST_DAY,
    FIRST_DAY_ENV,
    PARTITION_TAG,
    RANGE_END_TAG,
    RANGE_START_TAG,
    day_range_of_run,
    day_span,
    dbt_day_vars,
    first_day,
    split_at_first_day,
    unrecorded_days,
)
from orchestration.ingest.days import earliest_bronze_day, is_dated, keys_touching
from orchestration.sources import DATASETS

SEEDS = paths.repo_root() / "seeds"


def test_dated_bronze_assets_are_daily_partitioned_and_static_ones_are_not() -> None:
    from orchestration.definitions import defs

    graph = defs.resolve_asset_graph()
    for dataset in DATASETS:
        node = graph.get(bronze_asset_key(dataset))
        assert node.partitions_def == (DAILY if is_dated(dataset) else None), dataset
    assert {d for d in DATASETS if not is_dated(d)} == {"customers", "inventory_cells"}
    assert graph.get(dg.AssetKey("serving_snapshot")).partitions_def is None
    assert [s.name for s in defs.sensors] == ["landing_zone_sensor"]


def test_a_runs_days_become_dbt_vars() -> None:
    assert dbt_day_vars({}) == []
    assert day_range_of_run({PARTITION_TAG: "2026-01-10"}) == ("2026-01-10", "2026-01-10")
    tags = {RANGE_START_TAG: "2026-01-10", RANGE_END_TAG: "2026-01-12"}
    flag, value = dbt_day_vars(tags)
    assert flag == "--vars" and json.loads(value) == {
        "from_day": "2026-01-10",
        "to_day": "2026-01-12",
    }


@pytest.mark.parametrize(
    "tag", ["2026-01-10'}; drop table x; --", '2026-01-10", "x": "y', "yesterday", ""]
)
def test_a_tag_that_is_not_a_day_never_reaches_dbt(tag: str) -> None:
    if not tag:
        assert dbt_day_vars({PARTITION_TAG: tag}) == []
        return
    with pytest.raises(ValueError, match="not a day"):
        dbt_day_vars({PARTITION_TAG: tag})


def test_files_touching_days() -> None:
    mapping = {"a": {"2026-01-01", "2026-01-02"}, "b": {"2026-01-03"}, "c": set()}
    assert keys_touching(mapping, {"2026-01-02"}) == {"a"}
    assert keys_touching(mapping, {"2026-01-03", "2026-01-01"}) == {"a", "b"}
    assert keys_touching(mapping, {"2025-12-31"}) == set()


def _bronze_file(data: Path, dataset: str, day: str) -> None:
    folder = data / "bronze" / dataset / f"day={day}"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "file.parquet").write_bytes(b"")


def test_the_first_day_is_the_earliest_bronze_day(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.delenv(FIRST_DAY_ENV, raising=False)
    assert earliest_bronze_day(tmp_path) is None
    assert first_day(tmp_path) == DEMO_FIRST_DAY  # nothing built yet
    _bronze_file(tmp_path, "usage", "2026-02-03")
    _bronze_file(tmp_path, "pm_counters", "2026-02-01")
    _bronze_file(tmp_path, "customers", "static")
    (tmp_path / "bronze" / "pm_counters" / "day=2025-11-30").mkdir()  # emptied: no rows left
    (tmp_path / "bronze" / "pm_counters" / "day=garbage").mkdir()
    assert earliest_bronze_day(tmp_path) == "2026-02-01"
    assert first_day(tmp_path) == "2026-02-01"
    monkeypatch.setenv(FIRST_DAY_ENV, "2025-06-01")  # configured: wins
    assert first_day(tmp_path) == "2025-06-01"
    monkeypatch.setenv(FIRST_DAY_ENV, "June")
    with pytest.raises(ValueError, match="not a day"):
        first_day(tmp_path)


def test_the_fallback_first_day_is_the_demo_operators() -> None:
    truth = json.loads((SEEDS / "truth.json").read_text(encoding="utf-8"))
    assert truth["period"]["start"].startswith(DEMO_FIRST_DAY)


def test_days_before_the_first_partition_are_split_off() -> None:
    days = ["2025-12-30", "2026-01-01", "2026-01-02"]
    assert split_at_first_day(days, "2026-01-01") == (days[1:], days[:1])
    assert split_at_first_day(days, "2020-01-01") == (days, [])


def test_the_instance_config_turns_off_telemetry_and_the_onboarding_modal(tmp_path: Path) -> None:
    config = paths.prepare_dagster_home(tmp_path) / "dagster.yaml"
    settings = yaml.safe_load(config.read_text(encoding="utf-8"))
    assert settings["telemetry"] == {"enabled": False}
    assert settings["nux"] == {"enabled": False}
    assert settings["concurrency"]["runs"]["max_concurrent_runs"] == 1
    with dg.DagsterInstance.from_config(str(config.parent)) as instance:
        assert not instance.nux_enabled and not instance.telemetry_enabled
    # an older config this project wrote is brought up to date; a user's own is kept
    config.write_text("telemetry:\n  enabled: false\n", encoding="utf-8")
    paths.prepare_dagster_home(tmp_path)
    assert yaml.safe_load(config.read_text(encoding="utf-8"))["nux"] == {"enabled": False}
    config.write_text("telemetry:\n  enabled: true\n", encoding="utf-8")
    paths.prepare_dagster_home(tmp_path)
    assert config.read_text(encoding="utf-8") == "telemetry:\n  enabled: true\n"


def test_a_build_of_days_before_the_first_partition_is_refused() -> None:
    from orchestration.build import BuildError, partition_arguments
    from orchestration.defs.partitions import FIRST_DAY

    assert partition_arguments(None) == {}
    assert partition_arguments((FIRST_DAY, FIRST_DAY)) == {"partition_key": FIRST_DAY}
    with pytest.raises(BuildError, match="before the first daily partition"):
        partition_arguments(("2019-12-31", FIRST_DAY))


def test_a_run_records_the_days_dagster_does_not() -> None:
    written = ["2026-01-02", "static", "2026-01-01", "unknown", "2026-01-03"]
    assert unrecorded_days(written, None) == ["2026-01-01", "2026-01-02", "2026-01-03"]
    assert unrecorded_days(written, {"2026-01-02"}) == ["2026-01-01", "2026-01-03"]
    assert unrecorded_days(["static"], None) == []


def test_a_day_materialisation_names_its_partition_and_folder(tmp_path: Path) -> None:
    _bronze_file(tmp_path, "usage", "2026-01-05")
    event = day_materialization(bronze_asset_key("usage"), tmp_path, "usage", "2026-01-05")
    assert event.partition == "2026-01-05" and event.asset_key == bronze_asset_key("usage")
    assert event.metadata["source_files"].value == 1
    assert event.metadata["bronze_folder"].value.endswith("bronze/usage/day=2026-01-05")


def test_a_backfills_days_span_its_first_to_its_last() -> None:
    assert day_span(["2026-01-16", "2026-01-15", "2026-01-20"]) == ("2026-01-15", "2026-01-20")
    assert day_span([]) is None
    with pytest.raises(ValueError, match="not a day"):
        day_span(["2026-01-15", "x'; drop table y"])
