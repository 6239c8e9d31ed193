"""Daily partitions: which bronze assets have them, and how a run's days reach dbt."""

from __future__ import annotations

import json

import dagster as dg
import pytest

from orchestration.defs.ingest_assets import bronze_asset_key
from orchestration.defs.partitions import (
    DAILY,
    PARTITION_TAG,
    RANGE_END_TAG,
    RANGE_START_TAG,
    day_range_of_run,
    dbt_day_vars,
)
from orchestration.ingest.days import is_dated, keys_touching
from orchestration.sources import DATASETS


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
