"""Where the dashboards find the serving snapshot.

The dashboards read only `$ITOT_DATA/serving.duckdb` (default `<repo>/data/serving.duckdb`), the
read-only snapshot that the publish asset swaps in by atomic rename. The path rule itself lives in
`orchestration.paths`, so the CLI, Dagster and the dashboards agree on one folder.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from orchestration import paths


def serving_path() -> Path:
    """Absolute path of the serving snapshot, resolved from `ITOT_DATA` on every call."""
    return paths.serving_path(paths.data_dir())


def snapshot_version(path: Path) -> int:
    """A number that changes whenever the snapshot is swapped (its mtime in ns; 0 if missing).

    Query results are cached per version, so a fresh snapshot is read at once instead of after
    the cache's time-to-live.
    """
    try:
        return path.stat().st_mtime_ns
    except OSError:
        return 0


def snapshot_time(path: Path) -> datetime | None:
    """When the snapshot was published (file mtime, UTC), or None if there is none."""
    version = snapshot_version(path)
    return datetime.fromtimestamp(version / 1e9, tz=UTC) if version else None
