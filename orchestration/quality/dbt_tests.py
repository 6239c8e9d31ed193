"""The latest result of every dbt test: `$ITOT_DATA/quality/dbt/test_results.parquet`.

The dbt asset writes them from dbt's `run_results.json` (and the manifest, for what each test is
attached to) after every build, passed or not; a build of some models only (a backfill launched
from the UI runs dbt in two runs, each on its share of the models) keeps the earlier result of
the tests it did not run. The serving snapshot publishes them as `dbt_test_results` for the Data
health page.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

import polars as pl

from orchestration import paths
from orchestration.ingest.files import write_parquet_atomic

TEST_RESULTS_FILE = Path("dbt") / "test_results.parquet"  # below the quality folder

TEST_RESULT_SCHEMA: dict[str, pl.DataType] = {
    "test_id": pl.String(),  # dbt unique_id
    "test_name": pl.String(),  # e.g. not_null_fct_product_orders_order_id
    "test_type": pl.String(),  # generic test (not_null, unique, …) or "singular"
    "model": pl.String(),  # the model or source the test is attached to
    "column_name": pl.String(),
    "severity": pl.String(),  # error | warn (as configured)
    "status": pl.String(),  # pass | fail | warn | error | skipped
    "failures": pl.Int64(),  # rows that broke the test
    "message": pl.String(),
    "execution_time_s": pl.Float64(),
    "run_generated_at": pl.Datetime("us", "UTC"),
    "invocation_id": pl.String(),
}


def _attached_name(node: Mapping[str, Any]) -> str | None:
    attached = node.get("attached_node") or ""
    if attached:
        return attached.split(".")[-1]
    depends = node.get("depends_on", {}).get("nodes") or []
    return depends[0].split(".")[-1] if depends else None


def dbt_test_results_frame(
    run_results: Mapping[str, Any], manifest: Mapping[str, Any]
) -> pl.DataFrame:
    """One row per dbt test in `run_results` (models, seeds and snapshots are left out)."""
    metadata = run_results.get("metadata", {})
    generated = metadata.get("generated_at")
    generated_at = datetime.fromisoformat(generated.replace("Z", "+00:00")) if generated else None
    nodes = manifest.get("nodes", {})
    rows = []
    for result in run_results.get("results", []):
        unique_id = result.get("unique_id", "")
        if not unique_id.startswith("test."):
            continue
        node = nodes.get(unique_id, {})
        config = node.get("config", {})
        test_meta = node.get("test_metadata") or {}
        rows.append(
            {
                "test_id": unique_id,
                "test_name": node.get("name") or unique_id.split(".")[2],
                "test_type": test_meta.get("name") or "singular",
                "model": _attached_name(node),
                "column_name": node.get("column_name"),
                "severity": str(config.get("severity", "error")).lower(),
                "status": result.get("status"),
                "failures": result.get("failures"),
                "message": result.get("message"),
                "execution_time_s": result.get("execution_time"),
                "run_generated_at": generated_at,
                "invocation_id": metadata.get("invocation_id"),
            }
        )
    return pl.DataFrame(rows, schema=TEST_RESULT_SCHEMA)


def dbt_test_results_path(data_dir: Path) -> Path:
    return paths.quality_dir(data_dir) / TEST_RESULTS_FILE


def latest_result_per_test(
    previous: pl.DataFrame, latest: pl.DataFrame, tests: Collection[str]
) -> pl.DataFrame:
    """The latest result of every test of the project (`tests`: the dbt unique ids in the
    manifest): the rows of `latest`, then the rows of `previous` for the other tests."""
    ran = latest.get_column("test_id").to_list()
    kept = previous.filter(~pl.col("test_id").is_in(ran) & pl.col("test_id").is_in(list(tests)))
    return pl.concat([latest, kept.select(latest.columns).cast(latest.schema)])


def write_dbt_test_results(data_dir: Path, frame: pl.DataFrame) -> Path:
    """Replace the stored results of the latest build (atomic rename)."""
    path = dbt_test_results_path(data_dir)
    write_parquet_atomic(frame, path)
    return path


def read_dbt_test_results(data_dir: Path) -> pl.DataFrame:
    """The latest build's dbt test results (zero rows with the schema before any build)."""
    path = dbt_test_results_path(data_dir)
    if not path.is_file():
        return pl.DataFrame(schema=TEST_RESULT_SCHEMA)
    return pl.read_parquet(path)
