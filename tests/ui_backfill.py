"""Launch a backfill as the Dagster UI does, and run it to the end in this process.

The UI's "Materialize" dialog sends the GraphQL mutation `launchPartitionBackfill` with the
selected asset keys and partition names (`LaunchAssetChoosePartitionsDialog.tsx`); the daemon's
backfill loop then launches the runs. Here the same mutation goes to Dagster's GraphQL schema over
an in-process workspace, and the daemon's backfill iteration is called until the backfill ends;
runs execute synchronously in this process (in-process executor), so no server or daemon starts.
The workspace, the daemon iteration and the synchronous launcher are Dagster's own test tools
(`dagster._core.test_utils`, `dagster._daemon.backfill`): internal, so the pinned Dagster release
(pyproject.toml) is what they are written against.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path

import dagster as dg

LAUNCH_BACKFILL = """
mutation LaunchPartitionBackfill($backfillParams: LaunchBackfillParams!) {
  launchPartitionBackfill(backfillParams: $backfillParams) {
    __typename
    ... on LaunchBackfillSuccess { backfillId }
    ... on PythonError { message stack }
  }
}
"""
_MAX_ITERATIONS = 20
# Dagster's console logger would print every event of every run.
_RUN_CONFIG = {
    "execution": {"config": {"in_process": {}}},
    "loggers": {"console": {"config": {"log_level": "WARNING"}}},
}


def run_ui_backfill(
    home: Path, asset_keys: Sequence[dg.AssetKey], partition_names: Sequence[str]
) -> tuple[str, list[dg.DagsterRun]]:
    """Backfill `partition_names` of `asset_keys` (the code location `orchestration.definitions`)
    on the instance stored in `home` (its dagster.yaml is replaced by a synchronous test
    config); returns the backfill's id and its runs, oldest first. Raises if it does not end
    in success."""
    from dagster._core.execution.backfill import BulkActionStatus
    from dagster._core.remote_origin import InProcessCodeLocationOrigin
    from dagster._core.test_utils import InProcessTestWorkspaceLoadTarget
    from dagster._core.types.loadable_target_origin import LoadableTargetOrigin
    from dagster._core.workspace.context import WorkspaceProcessContext
    from dagster._daemon.backfill import execute_backfill_iteration
    from dagster_graphql.test.utils import execute_dagster_graphql

    origin = InProcessCodeLocationOrigin(
        LoadableTargetOrigin(module_name="orchestration.definitions", attribute="defs")
    )
    with (
        dg.instance_for_test(
            temp_dir=str(home), synchronous_run_coordinator=True, synchronous_run_launcher=True
        ) as instance,
        WorkspaceProcessContext(instance, InProcessTestWorkspaceLoadTarget(origin)) as workspace,
    ):
        params = {
            "assetSelection": [{"path": key.path} for key in asset_keys],
            "partitionNames": list(partition_names),
            "fromFailure": False,
            "runConfigData": _RUN_CONFIG,
        }
        result = execute_dagster_graphql(
            workspace.create_request_context(), LAUNCH_BACKFILL, {"backfillParams": params}
        )
        launched = result.data["launchPartitionBackfill"]
        if launched["__typename"] != "LaunchBackfillSuccess":
            raise AssertionError(f"backfill not launched: {launched}")
        backfill_id = launched["backfillId"]
        logger = logging.getLogger("itot.tests.backfill")
        for _ in range(_MAX_ITERATIONS):
            for error in execute_backfill_iteration(workspace, logger):
                if error is not None:
                    raise AssertionError(error.to_string())
            status = instance.get_backfill(backfill_id).status
            if status != BulkActionStatus.REQUESTED:
                break
        runs = instance.get_runs(filters=dg.RunsFilter.for_backfill(backfill_id))
        if status != BulkActionStatus.COMPLETED_SUCCESS:
            raise AssertionError(f"backfill {backfill_id} ended {status}: {runs}")
        return backfill_id, list(reversed(runs))
