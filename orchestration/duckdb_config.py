"""DuckDB resource settings for every connection a build opens: one rule for dbt and Python.

A DuckDB database with no memory limit takes most of the machine's RAM on a large operator (dbt's
warehouse reached 21.3 GB of 24 GB on the large profile). Every writer the build opens (dbt's
warehouse through `dbt_project/profiles.yml`, the GX bronze reads, the freshness check, the
serving snapshot) therefore runs with:

- `memory_limit`: `$ITOT_DUCKDB_MEMORY_LIMIT`, default 4GB (DuckDB's buffer manager spills
  above it to `temp_directory`; DuckDB syntax, e.g. `2GB`, `6GiB`);
- `threads`: `$ITOT_DUCKDB_THREADS`, default the machine's CPU count;
- `temp_directory`: `$ITOT_DUCKDB_TEMP_DIR`, default `<data>/duckdb_tmp` (beside the warehouse,
  never /tmp, which may be a small RAM disk);
- `preserve_insertion_order = false`: DuckDB may then stream results out of order where the
  query has no ORDER BY, which lets large inserts and copies run in bounded memory. Every table
  whose physical order matters (the serving snapshot's sorted tables) is written with ORDER BY.

dbt reads the same values from the environment: `dbt_environment` in the dbt assets exports
`duckdb_environment(data)` before dbt starts.
"""

from __future__ import annotations

import os
from pathlib import Path

import duckdb

MEMORY_LIMIT_ENV = "ITOT_DUCKDB_MEMORY_LIMIT"
THREADS_ENV = "ITOT_DUCKDB_THREADS"
TEMP_DIR_ENV = "ITOT_DUCKDB_TEMP_DIR"
DEFAULT_MEMORY_LIMIT = "4GB"
TEMP_DIR_NAME = "duckdb_tmp"


def duckdb_environment(data: Path) -> dict[str, str]:
    """The three env vars with their effective values for a build writing to `data`."""
    return {
        MEMORY_LIMIT_ENV: os.environ.get(MEMORY_LIMIT_ENV) or DEFAULT_MEMORY_LIMIT,
        THREADS_ENV: os.environ.get(THREADS_ENV) or str(os.cpu_count() or 1),
        TEMP_DIR_ENV: os.environ.get(TEMP_DIR_ENV) or str(Path(data).resolve() / TEMP_DIR_NAME),
    }


def duckdb_settings(data: Path) -> dict[str, str]:
    """DuckDB config for a connection of a build writing to `data` (memory, threads, spill
    folder, insertion order off)."""
    env = duckdb_environment(data)
    return {
        "memory_limit": env[MEMORY_LIMIT_ENV],
        "threads": env[THREADS_ENV],
        "temp_directory": env[TEMP_DIR_ENV],
        "preserve_insertion_order": "false",
    }


def connect(data: Path, database: str | Path = ":memory:") -> duckdb.DuckDBPyConnection:
    """A read-write DuckDB connection to `database` with the build's settings for `data`, and
    UTC day boundaries (set after connecting: the time zone extension loads on first use)."""
    con = duckdb.connect(str(database), config=duckdb_settings(data))
    con.execute("set TimeZone = 'UTC'")
    return con
