"""The one Dagster entry point: `dagster dev -m orchestration.definitions`, and `itot build`.

landing_files -> bronze_<dataset> (network, customer, operations) -> dbt models (staging,
intermediate, marts; dbt tests as asset checks) -> predict (models trained on the feature
marts, their serving tables) -> governance (feature drift, model cards, the decision log)
-> serving_snapshot.
`data_quality_results` runs every bronze dataset's expectation suite; each bronze asset reports
them as its checks `expectations` and `freshness`. A dataset failing an ERROR expectation holds
back only the dbt models that read it (`orchestration.quality.blocking`).
Bronze assets whose rows carry a day have daily partitions; `landing_zone_sensor` launches a run
per day that new landing files touch.
"""

from __future__ import annotations

import dagster as dg

from orchestration.defs.customer.assets import customer_assets
from orchestration.defs.dbt.assets import build_dbt_assets
from orchestration.defs.dbt.resources import dbt_resource
from orchestration.defs.governance.assets import governance_assets
from orchestration.defs.landing.assets import landing_files
from orchestration.defs.landing.sensor import landing_zone_sensor
from orchestration.defs.network.assets import network_assets
from orchestration.defs.operations.assets import operations_assets
from orchestration.defs.predict.assets import predict_assets
from orchestration.defs.quality.assets import build_data_quality_results
from orchestration.defs.quality.checks import build_bronze_quality_checks
from orchestration.defs.resources import ItotPaths
from orchestration.defs.serving.assets import build_serving_snapshot

BRONZE_ASSETS = [*network_assets, *customer_assets, *operations_assets]
BRONZE_DATASETS = tuple(
    key.path[-1].removeprefix("bronze_") for asset in BRONZE_ASSETS for key in asset.keys
)

defs = dg.Definitions(
    assets=[
        landing_files,
        *BRONZE_ASSETS,
        build_data_quality_results(BRONZE_DATASETS),
        build_dbt_assets(),
        *predict_assets,
        *governance_assets,
        build_serving_snapshot(),
    ],
    asset_checks=[build_bronze_quality_checks(BRONZE_DATASETS)],
    sensors=[landing_zone_sensor],
    resources={
        "itot_paths": ItotPaths(),
        "dbt": dbt_resource,
    },
)
