"""Predict assets: per model, one step that trains it on the feature marts' training rows
(asset `<model>`: the versioned artifact, its card as metadata) and scores the scoring rows
(asset `srv_<table>`: the serving table the snapshot publishes). docs/predictions.md."""

import dagster as dg

from orchestration.defs.resources import ItotPaths
from orchestration.predict import features, tables
from orchestration.predict.pipeline import ANOMALY_MODEL, PredictionRun, run_anomalies, run_tabular
from orchestration.predict.tabular_models import CHURN, FALLOUT

GROUP = "predict"
# model asset -> (feature mart it learns from, serving table it writes)
MODELS = {
    FALLOUT.name: (features.ORDER_FEATURES, tables.ORDER_FALLOUT_RISK),
    ANOMALY_MODEL: (features.CELL_HOUR_FEATURES, tables.CELL_ANOMALIES),
    CHURN.name: (features.CHURN_FEATURES, tables.CHURN_RISK),
}
PREDICTION_TABLE_KEYS = [dg.AssetKey(table) for _, table in MODELS.values()]


def _card_metadata(run: PredictionRun) -> dict[str, dg.MetadataValue]:
    meta: dict[str, dg.MetadataValue] = {"model_card": dg.MetadataValue.json(run.card)}
    meta["model_version"] = dg.MetadataValue.text(run.version or "not trained")
    for key in ("held_out_auc", "baseline_auc", "held_out_flagged_hours", "baseline_flagged_hours"):
        if run.card.get(key) is not None:
            meta[key] = dg.MetadataValue.float(float(run.card[key]))
    return meta


def _build(model: str) -> dg.AssetsDefinition:
    mart, table = MODELS[model]

    @dg.multi_asset(
        name=f"train_and_score_{model}",
        specs=[
            dg.AssetSpec(
                model,
                group_name=GROUP,
                deps=[dg.AssetKey(mart)],
                kinds={"python"},
                description=f"The {model} artifact (versioned by content hash) and its model "
                f"card, trained on the training rows of {mart}.",
            ),
            dg.AssetSpec(
                table,
                group_name=GROUP,
                deps=[dg.AssetKey(mart)],
                kinds={"parquet"},
                description=f"`{table}`: the scoring window's rows of {mart}, scored by "
                f"{model} (docs/predictions.md); published in the serving snapshot.",
            ),
        ],
    )
    def _asset(context: dg.AssetExecutionContext, itot_paths: ItotPaths):
        data = itot_paths.data_dir()
        run = (
            run_anomalies(data)
            if model == ANOMALY_MODEL
            else run_tabular(FALLOUT if model == FALLOUT.name else CHURN, data)
        )
        context.log.info(f"{model}: version {run.version}, {run.rows} rows in {table}")
        yield dg.MaterializeResult(asset_key=model, metadata=_card_metadata(run))
        yield dg.MaterializeResult(
            asset_key=table,
            metadata={
                "rows": dg.MetadataValue.int(run.rows),
                "path": dg.MetadataValue.path(str(run.path)),
                "model_version": dg.MetadataValue.text(run.version or "not trained"),
            },
        )

    return _asset


predict_assets = [_build(model) for model in MODELS]
