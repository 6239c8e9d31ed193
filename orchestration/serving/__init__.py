"""The serving snapshot: published atomically, read by `itot kpis` and the dashboards."""

from orchestration.serving.kpis import read_kpis
from orchestration.serving.snapshot import SnapshotSummary, publish_snapshot

__all__ = ["SnapshotSummary", "publish_snapshot", "read_kpis"]
