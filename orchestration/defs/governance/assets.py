"""Governance assets (group `governance`, docs/governance.md): after the models, one step that
measures feature drift against each model's training rows (`srv_feature_drift`, with the
WARNING check `feature_drift`), tabulates the model cards (`srv_model_cards`) and logs every
recommendation under the decision rights (`srv_decision_log`). The tables are written beside
the prediction tables and published in the serving snapshot."""

import dagster as dg
import polars as pl

from orchestration import paths
from orchestration.defs.resources import ItotPaths
from orchestration.governance.decision_rights import load_decision_rights
from orchestration.governance.governance_run import MODELS, run_governance
from orchestration.predict import features, tables

GROUP = "governance"
DRIFT, CARDS, LOG = tables.FEATURE_DRIFT, tables.MODEL_CARDS, tables.DECISION_LOG
GOVERNANCE_TABLE_KEYS = [dg.AssetKey(t) for t in (DRIFT, CARDS, LOG)]
DECISION_RIGHTS_SEED = paths.repo_root() / "dbt_project" / "seeds" / "decision_rights.csv"


def _latest_card(context: dg.AssetExecutionContext, model: str) -> dict | None:
    """The model card the model asset last recorded (its `model_card` metadata)."""
    event = context.instance.get_latest_materialization_event(dg.AssetKey(model))
    if event is None or event.asset_materialization is None:
        return None
    card = event.asset_materialization.metadata.get("model_card")
    return card.value if card is not None else None  # type: ignore[return-value]


@dg.multi_asset(
    name="governance",
    specs=[
        dg.AssetSpec(
            DRIFT,
            group_name=GROUP,
            deps=[dg.AssetKey(m) for m in MODELS]
            + [dg.AssetKey(features.ORDER_FEATURES), dg.AssetKey(features.CHURN_FEATURES)],
            kinds={"parquet"},
            description="PSI per model, feature and week of the scoring window against the "
            "training rows, with its sample-size threshold (docs/governance.md).",
        ),
        dg.AssetSpec(
            CARDS,
            group_name=GROUP,
            deps=[dg.AssetKey(m) for m in MODELS],
            kinds={"parquet"},
            description="One row per model: its card (version, windows, held-out metrics "
            "beside the baseline's) and whether drift marked it for retraining.",
        ),
        dg.AssetSpec(
            LOG,
            group_name=GROUP,
            deps=[
                dg.AssetKey("srv_proactive_notices"),
                dg.AssetKey("decision_rights"),
                *(dg.AssetKey(t) for t in tables.SCHEMAS if t not in (DRIFT, CARDS, LOG)),
            ],
            kinds={"parquet"},
            description="Every automated recommendation or action with the decision rights "
            "that allowed it and the guard's verdict (docs/governance.md).",
        ),
    ],
    check_specs=[
        dg.AssetCheckSpec(
            "feature_drift",
            asset=DRIFT,
            description="WARNING when a model's feature drifted beyond its sample-size "
            "threshold in any week: the model is marked for retraining.",
        )
    ],
)
def governance(context: dg.AssetExecutionContext, itot_paths: ItotPaths):
    data = itot_paths.data_dir()
    cards = {model: _latest_card(context, model) for model in MODELS}
    result = run_governance(data, load_decision_rights(DECISION_RIGHTS_SEED), cards)
    for table, frame in (
        (DRIFT, result.drift),
        (CARDS, result.model_cards),
        (LOG, result.decision_log),
    ):
        path = tables.write_table(data, table, frame)
        yield dg.MaterializeResult(
            asset_key=table,
            metadata={
                "rows": dg.MetadataValue.int(frame.height),
                "path": dg.MetadataValue.path(str(path)),
            },
        )
    for model, drifted in result.retrain.items():
        context.log_event(
            dg.AssetObservation(
                asset_key=model,
                metadata={
                    "marked_for_retraining": dg.MetadataValue.bool(True),
                    "drifted_features": dg.MetadataValue.json(drifted),
                },
            )
        )
    worst = result.drift.group_by("model").agg(psi_max=pl.col("psi").max())
    yield dg.AssetCheckResult(
        check_name="feature_drift",
        asset_key=DRIFT,
        passed=not result.retrain,
        severity=dg.AssetCheckSeverity.WARN,
        metadata={
            "models_to_retrain": dg.MetadataValue.json(result.retrain),
            "max_psi": dg.MetadataValue.json(dict(worst.iter_rows())),
            "decision_sources_missing": dg.MetadataValue.json(result.sources_missing),
        },
    )


governance_assets = [governance]
