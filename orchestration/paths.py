"""Where the platform reads and writes: one rule for the CLI, Dagster, dbt and the dashboards.

`ITOT_LANDING` (default `seeds/`) and `ITOT_DATA` (default `data/`) may be absolute or relative;
a relative value is taken relative to the repository root, so the UI, the CLI and dbt (which runs
inside `dbt_project/`) all resolve it to the same folder.
"""

from __future__ import annotations

import os
from pathlib import Path

LANDING_ENV = "ITOT_LANDING"
DATA_ENV = "ITOT_DATA"
DAGSTER_HOME_ENV = "DAGSTER_HOME"

SERVING_FILE = "serving.duckdb"
WAREHOUSE_FILE = "warehouse.duckdb"


def repo_root() -> Path:
    """The repository root (the folder holding `pyproject.toml` and `dbt_project/`)."""
    return Path(__file__).resolve().parent.parent


def resolve(value: str | os.PathLike[str], root: Path | None = None) -> Path:
    """An absolute path for `value`: kept if absolute, else joined to `root` (the repo root)."""
    path = Path(value).expanduser()
    if not path.is_absolute():
        path = (root or repo_root()) / path
    return path.resolve()


def landing_dir() -> Path:
    """The landing zone the ingest layer reads: `$ITOT_LANDING`, default `<repo>/seeds`."""
    return resolve(os.environ.get(LANDING_ENV) or "seeds")


def data_dir() -> Path:
    """Everything the platform writes: `$ITOT_DATA`, default `<repo>/data`."""
    return resolve(os.environ.get(DATA_ENV) or "data")


# The data folder's layout (docs/data_contracts.md): every module asks here, none spells a folder.
BRONZE_DIR = "bronze"  # bronze/<dataset>/day=<YYYY-MM-DD|static>/<file_key>.parquet
LEDGER_DIR = "ledger"  # ledger/<file_key>[.<dataset>].parquet
QUARANTINE_DIR = "quarantine"  # quarantine/<file_key>[.<dataset>].parquet
QUALITY_DIR = "quality"  # quality/<dataset>.parquet, quality/dbt/test_results.parquet
STATE_DIR = "state"  # what one build leaves for the next (e.g. dbt_incremental.json)
LANDING_FILES_FILE = "landing_files.parquet"  # the landing scan
# A zero-row file of a dataset's columns beside its rows (bronze/<dataset>/, quality/), so a
# reader of a dataset without rows still sees its columns. Not hidden: Spark (and Hadoop) skip
# files whose name starts with `_` or `.`, which left an empty dataset with no schema on Spark.
SCHEMA_FILE = "schema.parquet"
LEGACY_SCHEMA_FILE = "_schema.parquet"  # its name before; removed when the schema is rewritten


def bronze_dir(data: Path) -> Path:
    """`<data>/bronze`: one folder per bronze dataset."""
    return data / BRONZE_DIR


def ledger_dir(data: Path) -> Path:
    """`<data>/ledger`: the ingest ledger, one Parquet file per source file (and dataset)."""
    return data / LEDGER_DIR


def quarantine_dir(data: Path) -> Path:
    """`<data>/quarantine`: rejected records with their reasons, per source file (and dataset)."""
    return data / QUARANTINE_DIR


def quality_dir(data: Path) -> Path:
    """`<data>/quality`: the latest data-quality results (expectations, freshness, dbt tests)."""
    return data / QUALITY_DIR


def state_dir(data: Path) -> Path:
    """`<data>/state`: small records one build leaves for the next."""
    return data / STATE_DIR


def landing_files_path(data: Path) -> Path:
    """`<data>/landing_files.parquet`: the latest scan of the landing zone."""
    return data / LANDING_FILES_FILE


def predictions_dir(data: Path) -> Path:
    """`<data>/predictions`: the prediction serving tables, one Parquet file per table
    (`<table>.parquet`); the serving snapshot publishes every one of them."""
    return data / "predictions"


def models_dir(data: Path) -> Path:
    """`<data>/models`: trained model artifacts, `<model>/<content hash>.pkl`."""
    return data / "models"


def dagster_home(data: Path) -> Path:
    """Dagster's run history for a data dir: `<data>/dagster`."""
    return data / "dagster"


def warehouse_path(data: Path) -> Path:
    """dbt's warehouse (only dbt writes it)."""
    return data / WAREHOUSE_FILE


def serving_path(data: Path) -> Path:
    """The read-only serving snapshot the dashboards and `itot kpis` read."""
    return data / SERVING_FILE


_TELEMETRY_OFF = "telemetry:\n  enabled: false\n"
_ONE_RUN_AT_A_TIME = "concurrency:\n  runs:\n    max_concurrent_runs: 1\n"
# Configs earlier versions of this project wrote: brought up to date, never a user's own.
_OLD_INSTANCE_CONFIGS = (_TELEMETRY_OFF, _TELEMETRY_OFF + _ONE_RUN_AT_A_TIME)
# No telemetry (builds run offline); runs launched by the UI or the sensor write the same data
# folder, so the queue starts one at a time; no "Join the Dagster community" modal (nux) on a
# new instance.
INSTANCE_CONFIG = _TELEMETRY_OFF + _ONE_RUN_AT_A_TIME + "nux:\n  enabled: false\n"


def prepare_dagster_home(data: Path) -> Path:
    """Create `<data>/dagster` with an instance config (`INSTANCE_CONFIG`); a config this
    project wrote earlier is brought up to date, any other is left alone."""
    home = dagster_home(data)
    home.mkdir(parents=True, exist_ok=True)
    config = home / "dagster.yaml"
    if not config.exists() or config.read_text(encoding="utf-8") in _OLD_INSTANCE_CONFIGS:
        config.write_text(INSTANCE_CONFIG, encoding="utf-8")
    return home
