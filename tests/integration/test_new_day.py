"""A new day is cheap and exact: delivering the last day's own files to an operator built
without them ingests those files only, rebuilds only the dbt models they reach, and gives the
same serving tables as a full build of the same files (the shared demo build).

Every comparison is over the content hashes of the tables of serving.duckdb, run stamps left
out (`orchestration.serving.fingerprint`).
"""

from __future__ import annotations

import shutil
from datetime import UTC, datetime

import dagster as dg
import polars as pl
import pytest

from orchestration import paths
from orchestration.ingest.ledger import read_ledger
from orchestration.serving.fingerprint import table_hashes
from tests.new_day import deliver, hold_back, last_day

pytestmark = pytest.mark.integration
# Issue 18's model tables differ between two builds of the same files, whatever this change does
# (test_redelivery's duplicate-delivery test, a full dbt rebuild, sees the same four differ):
# srv_model_cards names its artifacts by absolute path under the data folder, and the churn
# features, risks and decision log built from them differ too. Left out until they reproduce.
PATH_TABLES = frozenset(
    {"srv_model_cards", "fct_churn_features", "srv_churn_risk", "srv_decision_log"}
)


@pytest.mark.seconds(200)
def test_a_new_day_ingests_its_files_only_and_equals_a_full_build(
    demo_build, run_build, tmp_path
) -> None:
    full_landing, full_data = demo_build
    landing, data, side = tmp_path / "landing", tmp_path / "data", tmp_path / "side"
    shutil.copytree(full_landing, landing)
    held = hold_back(landing, last_day(landing), side)
    assert len(held) >= 3  # the day's PM, alarm and usage files
    run_build(landing, data)

    delivered_at = datetime.now(UTC)
    deliver(side, landing, held)
    result = run_build(landing, data)

    ledger = read_ledger(data)
    again = ledger.filter(pl.col("ingested_at") >= delivered_at)
    assert sorted(set(again["file_path"])) == sorted(held)  # nothing else was read again
    # the models no new file reaches were kept, not rebuilt (customers, orders, bills); the
    # ones it reaches were rebuilt
    with dg.DagsterInstance.from_config(str(paths.dagster_home(data))) as instance:
        for model, kept in (
            ("dim_customer", True),
            ("fct_customer_bills", True),
            ("fct_usage_daily", False),
        ):
            record = instance.fetch_materializations(dg.AssetKey(model), limit=1).records[0]
            assert record.run_id == result.run_id, model
            metadata = record.asset_materialization.metadata
            assert ("unchanged" in metadata) is kept, model
    built, full = (
        table_hashes(paths.serving_path(data)),
        table_hashes(paths.serving_path(full_data)),
    )
    assert set(built) == set(full)
    assert {t: h for t, h in built.items() if t not in PATH_TABLES} == {
        t: h for t, h in full.items() if t not in PATH_TABLES
    }
