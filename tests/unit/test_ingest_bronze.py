"""Bronze writer: lineage columns, day folders, zero-row schema file, re-ingest replacement."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from orchestration.ingest.bronze import (
    bronze_schema,
    write_file_rows,
    write_schema_file,
)
from orchestration.sources import pm_xml, tmf622_product_order

LANDING = Path(__file__).parents[1] / "fixtures" / "landing"


def test_schema_file_has_zero_rows_and_lineage(tmp_path: Path) -> None:
    path = write_schema_file(tmp_path, pm_xml)
    frame = pl.read_parquet(path)
    assert frame.height == 0
    assert list(frame.columns) == [*pm_xml.SCHEMA, "source_file", "source_record"]
    assert dict(frame.schema) == bronze_schema(pm_xml)


def test_schema_file_is_visible_to_spark_and_replaces_its_former_name(tmp_path: Path) -> None:
    """Spark and Hadoop hide files whose name starts with `_`: the schema file's name does not,
    and rewriting it removes `_schema.parquet` a data folder built before may still hold."""
    legacy = tmp_path / "bronze" / pm_xml.DATASET / "_schema.parquet"
    legacy.parent.mkdir(parents=True)
    legacy.write_bytes(b"PAR1")
    path = write_schema_file(tmp_path, pm_xml)
    assert path.name == "schema.parquet" and not path.name.startswith(("_", "."))
    assert not legacy.exists()


def test_rows_split_by_day_with_lineage(tmp_path: Path) -> None:
    rel = "orders/tmf622_product_orders.json"
    result = tmf622_product_order.parse(LANDING / rel)
    days = write_file_rows(
        tmp_path, tmf622_product_order, "k1", rel, result.rows, result.record_refs
    )
    assert days == ["2024-01-01", "2024-01-02"]
    root = tmp_path / "bronze" / "product_orders"
    first = pl.read_parquet(root / "day=2024-01-01" / "k1.parquet")
    assert dict(first.schema) == bronze_schema(tmf622_product_order)
    assert first.select("order_id", "source_file", "source_record").row(0) == (
        "PO-0000001",
        rel,
        "[0]",
    )


def test_reingest_replaces_never_duplicates(tmp_path: Path) -> None:
    rel = "orders/tmf622_product_orders.json"
    result = tmf622_product_order.parse(LANDING / rel)
    write_file_rows(tmp_path, tmf622_product_order, "k1", rel, result.rows, result.record_refs)
    write_file_rows(tmp_path, tmf622_product_order, "k1", rel, result.rows, result.record_refs)
    root = tmp_path / "bronze" / "product_orders"
    assert pl.read_parquet(root / "day=*/*.parquet").height == 2
    # The file is re-delivered with only its second order: the other day's rows disappear.
    write_file_rows(
        tmp_path, tmf622_product_order, "k1", rel, result.rows[1:], result.record_refs[1:]
    )
    assert sorted(p.parent.name for p in root.glob("day=*/k1.parquet")) == ["day=2024-01-02"]
    # An empty re-delivery removes everything of that file, and nothing of other files.
    write_file_rows(tmp_path, tmf622_product_order, "k2", rel, result.rows, result.record_refs)
    write_file_rows(tmp_path, tmf622_product_order, "k1", rel, result.rows[:0], [])
    assert not list(root.glob("day=*/k1.parquet")) and len(list(root.glob("day=*/k2.parquet"))) == 2
    assert not list(root.rglob("*.tmp"))
