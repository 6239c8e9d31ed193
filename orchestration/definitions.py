"""The one Dagster entry point: `dagster dev -m orchestration.definitions`, and `itot build`.

landing_files -> bronze_<dataset> (network, customer, operations) -> dbt models (staging,
intermediate, marts; dbt tests as asset checks) -> serving_snapshot.
"""

from __future__ import annotations

import dagster as dg

from orchestration.defs.customer.assets import customer_assets
from orchestration.defs.dbt.assets import build_dbt_assets
from orchestration.defs.dbt.resources import dbt_resource
from orchestration.defs.landing.assets import landing_files
from orchestration.defs.network.assets import network_assets
from orchestration.defs.operations.assets import operations_assets
from orchestration.defs.resources import ItotPaths
from orchestration.defs.serving.assets import build_serving_snapshot

defs = dg.Definitions(
    assets=[
        landing_files,
        *network_assets,
        *customer_assets,
        *operations_assets,
        build_dbt_assets(),
        build_serving_snapshot(),
    ],
    resources={
        "itot_paths": ItotPaths(),
        "dbt": dbt_resource,
    },
)
