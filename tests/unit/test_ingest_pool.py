"""Ingest in worker processes writes what a serial ingest writes (orchestration.ingest.pool)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import polars as pl
import pytest

from orchestration.ingest import pool
from orchestration.ingest.landing import scan_landing
from orchestration.ingest.ledger import read_ledger
from orchestration.ingest.run import ingest_dataset

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


def test_use_pool_only_for_many_large_files() -> None:
    assert not pool.use_pool(1, 10 * pool.POOL_MIN_BYTES, workers=2)
    assert not pool.use_pool(50, pool.POOL_MIN_BYTES - 1, workers=2)
    assert not pool.use_pool(50, pool.POOL_MIN_BYTES, workers=1)
    assert pool.use_pool(2, pool.POOL_MIN_BYTES, workers=2)


def test_workers_from_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(pool.WORKERS_ENV, "3")
    assert pool.ingest_workers() == 3
    monkeypatch.setenv(pool.WORKERS_ENV, "0")
    assert pool.ingest_workers() == 1
    monkeypatch.delenv(pool.WORKERS_ENV)
    assert pool.ingest_workers() >= 1


def test_map_in_order_keeps_order_and_raises_a_workers_error() -> None:
    items = list(range(7))
    assert list(pool.map_in_order(abs, [-i for i in items], workers=2, pooled=True)) == items
    with pytest.raises(TypeError):
        list(pool.map_in_order(abs, ["x", "y"], workers=2, pooled=True))


def _tree(root: Path) -> dict[str, bytes]:
    """Bronze and quarantine Parquet files by path (the ledger holds ingest times: not here)."""
    return {
        str(p.relative_to(root)): p.read_bytes()
        for folder in ("bronze", "quarantine")
        for p in sorted((root / folder).rglob("*.parquet"))
    }


def _ledger(root: Path) -> pl.DataFrame:
    """The ledger without its times (when each file was ingested)."""
    ledger = read_ledger(root)
    times = [name for name, dtype in ledger.schema.items() if dtype.is_temporal()]
    return ledger.drop(times).sort("file_key")


def test_pooled_ingest_equals_serial_ingest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """PM files of the demo landing zone (with a damaged one) in 2 worker processes: the same
    bronze, quarantine and ledger files, byte for byte, and the same summary."""
    landing = tmp_path / "landing"
    shutil.copytree(SEEDS / "inventory", landing / "inventory")
    pm_files = sorted((SEEDS / "pm").rglob("*.xml.gz"))[:11] + sorted((SEEDS / "pm").rglob("*.xml"))
    for src in pm_files:
        dest = landing / src.relative_to(SEEDS)
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(src, dest)
    # the plain (uncompressed) file with 20 negated measResults: those records are quarantined
    plain = landing / next(p for p in pm_files if p.suffix == ".xml").relative_to(SEEDS)
    negated = re.sub(
        r"<measResults>([^<]*)</measResults>",
        lambda m: "<measResults>" + " ".join(f"-{v}" for v in m[1].split()) + "</measResults>",
        plain.read_text(),
        count=20,
    )
    plain.write_text(negated)

    def run(data: Path, pooled: bool):
        monkeypatch.setattr(pool, "POOL_MIN_BYTES", 0 if pooled else 2**62)
        monkeypatch.setenv(pool.WORKERS_ENV, "2")
        scan_landing(landing, data)
        return ingest_dataset("pm_counters", landing, data)

    serial = run(tmp_path / "serial", pooled=False)
    pooled = run(tmp_path / "pooled", pooled=True)
    assert serial.rows_loaded > 0 and serial.rows_quarantined > 0
    assert pooled == serial
    assert _tree(tmp_path / "pooled") == _tree(tmp_path / "serial")
    assert _ledger(tmp_path / "pooled").equals(_ledger(tmp_path / "serial"))
    assert _ledger(tmp_path / "serial").height == 12
