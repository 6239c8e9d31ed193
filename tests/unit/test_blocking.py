"""Which datasets an ERROR check blocks, and which dbt models that holds back: on the real dbt
manifest, so a new model downstream of a source is held back with it."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from orchestration.defs.dbt.assets import load_manifest
from orchestration.quality.blocking import (
    EMPTY,
    KEPT,
    blocked_datasets,
    dbt_sources_of,
    exclude_arguments,
    held_back_models,
    read_stale_models,
    stale_frame,
    summary_line,
    write_stale_models,
)
from orchestration.quality.results import CheckResult, results_frame


def _record(dataset: str, expectation: str, severity: str, success: bool, n: int | None):
    return CheckResult(
        dataset=dataset,
        check_name="expectations",
        expectation=expectation,
        expectation_type="x",
        column_name=None,
        severity=severity,
        success=success,
        unexpected_count=n,
        element_count=100,
        observed=None,
        rows_total=100,
        sampled=False,
        checked_at=datetime(2026, 2, 1, tzinfo=UTC),
    )


def test_only_a_failed_error_blocks_and_the_line_says_by_what_on_how_many_rows() -> None:
    results = results_frame(
        [
            _record("alarm_events", "unique(key: within one delivered file)", "error", False, 2),
            _record("alarm_events", "not_null(sequence)", "warning", False, 90),
            _record("usage", "in_set(usage_type)", "warning", False, 5),
            _record("customers", "not_null(customer_id)", "error", True, 0),
        ]
    )
    [block] = blocked_datasets(results)
    assert block.dataset == "alarm_events"
    assert block.line == (
        "alarm_events blocked by expectations: unique(key: within one delivered file) "
        "on 2 of 100 rows"
    )
    assert summary_line([block]).startswith("BLOCKED: alarm_events blocked by expectations")
    assert summary_line([]) == ""


@pytest.fixture(scope="module")
def manifest() -> dict:
    return load_manifest()


def test_a_blocked_source_holds_back_its_downstream_models_parents_first(manifest) -> None:
    assert dbt_sources_of(manifest, "alarm_events") == [("network", "alarm_events")]
    assert exclude_arguments(manifest, ["alarm_events"]) == [
        "--exclude",
        "source:network.alarm_events+",
    ]
    assert exclude_arguments(manifest, []) == []
    held = held_back_models(manifest, ["alarm_events"])
    assert {"stg_network__alarm_events", "srv_cell_alarms", "kpi_incidents_summary"} <= set(held)
    assert "kpi_headline" not in held and "fct_product_orders" not in held
    order = list(held)
    assert order.index("stg_network__alarm_events") < order.index("srv_cell_alarms")
    # a dataset without a dbt source (VES heartbeats) holds back nothing
    assert held_back_models(manifest, ["ves_events"]) == {}


def test_stale_models_round_trip(tmp_path, manifest) -> None:
    [block] = blocked_datasets(
        results_frame([_record("alarm_events", "unique(key)", "error", False, 2)])
    )
    held = held_back_models(manifest, ["alarm_events"])
    frame = stale_frame(held, [block], empty=["srv_cell_alarms"])
    assert frame.height == len(held)
    kept = dict(frame.select("model", "kept").iter_rows())
    assert kept["srv_cell_alarms"] == EMPTY and kept["stg_network__alarm_events"] == KEPT
    write_stale_models(tmp_path, frame)
    assert read_stale_models(tmp_path).equals(frame)
    write_stale_models(tmp_path, stale_frame({}, []))
    assert read_stale_models(tmp_path).is_empty()


def test_the_results_asset_validates_the_datasets_of_its_run() -> None:
    import dagster as dg

    from orchestration.defs.quality.assets import datasets_of_run

    everything = ["alarm_events", "usage"]
    assert datasets_of_run(everything, None) == everything
    assert datasets_of_run(everything, set()) == everything
    assert datasets_of_run(everything, {dg.AssetKey("bronze_usage")}) == ["usage"]
    # the results asset alone (re-run from the UI): every dataset
    assert datasets_of_run(everything, {dg.AssetKey("data_quality_results")}) == everything
