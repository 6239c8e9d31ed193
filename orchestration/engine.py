"""Which engine runs the dbt models: `ITOT_ENGINE=duckdb|spark` (default duckdb).

The same dbt models run on both (engine differences live in dispatched macros under
`dbt_project/macros/`). The engine names the dbt target (`dbt_project/profiles.yml`) and where the
marts land, which the serving snapshot reads:

- duckdb: tables in `<data>/warehouse.duckdb` (schema `marts`);
- spark (dbt-spark, `session` method on a local pyspark): Parquet tables under
  `<data>/spark/warehouse/marts.db/<table>/`, catalogued in `<data>/spark/metastore_db`.

The serving snapshot is one DuckDB file on both engines (`orchestration.serving.snapshot`).
"""

from __future__ import annotations

import os
from pathlib import Path

from orchestration import paths

ENGINE_ENV = "ITOT_ENGINE"
ENGINES = ("duckdb", "spark")
DEFAULT_ENGINE = "duckdb"
SPARK_FOLDER = "spark"


class UnknownEngine(ValueError):
    """ITOT_ENGINE (or --engine) names no supported engine."""


def checked_engine(name: str) -> str:
    """`name` lower-cased if it is a supported engine; raises UnknownEngine otherwise."""
    engine = name.strip().lower()
    if engine not in ENGINES:
        raise UnknownEngine(f"unknown engine '{name}' (choose from {', '.join(ENGINES)})")
    return engine


def current_engine() -> str:
    """The engine of this process: `$ITOT_ENGINE`, default duckdb."""
    return checked_engine(os.environ.get(ENGINE_ENV) or DEFAULT_ENGINE)


def spark_home(data: Path) -> Path:
    """Spark's files for a data folder: `<data>/spark` (warehouse/ and metastore_db/)."""
    return data / SPARK_FOLDER


def spark_warehouse(data: Path) -> Path:
    """Spark's warehouse folder: `<data>/spark/warehouse` (one `<schema>.db/` per schema)."""
    return spark_home(data) / "warehouse"


def spark_table_folder(warehouse: Path, schema: str, table: str) -> Path:
    """The Parquet folder of a Spark-managed table: `<warehouse>/<schema>.db/<table>`."""
    return warehouse / f"{schema}.db" / table


def warehouse_location(data: Path, engine: str) -> Path:
    """Where `engine` keeps the dbt models of `data`: the DuckDB file or Spark's warehouse."""
    if checked_engine(engine) == "spark":
        return spark_warehouse(data)
    return paths.warehouse_path(data)


def spark_mart_scan(warehouse: Path, schema: str, table: str) -> str:
    """DuckDB SQL reading one Spark table from its Parquet files: a table partitioned by a
    column (Spark writes `<column>=<value>/` folders) gets that column back from the folder
    names, typed as Spark wrote it."""
    files = str(spark_table_folder(warehouse, schema, table) / "**" / "*.parquet")
    quoted = "'" + files.replace("'", "''") + "'"
    return f"read_parquet({quoted}, hive_partitioning=true, union_by_name=true)"
