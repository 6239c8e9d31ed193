"""CSV parsers (inventory, survey, process log): typed columns, per-line rejects, bad files."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from types import ModuleType

import pytest

from orchestration.sources import inventory_csv, process_log_csv, survey_csv

LANDING = Path(__file__).parents[1] / "fixtures" / "landing"
CASES: list[tuple[ModuleType, str, int]] = [
    (inventory_csv, "inventory/cells.csv", 3),
    (survey_csv, "surveys/survey_responses.csv", 3),
    (process_log_csv, "process_log/process_events.csv", 3),
]


@pytest.mark.parametrize("module,rel,n", CASES, ids=[c[0].FORMAT for c in CASES])
def test_happy_path(module: ModuleType, rel: str, n: int) -> None:
    result = module.parse(LANDING / rel)
    assert result.rejects == [] and result.rows.height == result.rows_in == n
    assert dict(result.rows.schema) == module.SCHEMA
    assert result.record_refs == [f"line {i + 2}" for i in range(n)]


def test_inventory_values() -> None:
    row = inventory_csv.parse(LANDING / "inventory/cells.csv").rows.row(0, named=True)
    assert row["meas_obj_ldn"] == "ManagedElement=NE-0001,GNBDUFunction=1,NRCellDU=1"
    assert row["latitude"] == 52.52 and row["install_date"] == date(2019, 5, 14)


def test_survey_and_process_values() -> None:
    surveys = survey_csv.parse(LANDING / "surveys/survey_responses.csv").rows
    assert surveys["csat_score"].to_list() == [5, None, 4]
    events = process_log_csv.parse(LANDING / "process_log/process_events.csv").rows
    assert events["event_time_utc"].to_list() == [
        datetime(2024, 1, 1, 8, 0, 5, tzinfo=UTC),
        datetime(2024, 1, 1, 7, 30, tzinfo=UTC),
        datetime(2024, 1, 1, 10, 0, 0, 500000, tzinfo=UTC),
    ]


def test_bad_lines_are_rejected_individually(tmp_path: Path) -> None:
    text = (LANDING / "surveys/survey_responses.csv").read_text()
    text += (
        "SRV-4,CUST-4,2024-02-30,app,5,\n"
        "SRV-5,,2024-01-01,app,5,\n"
        "SRV-6,C6,2024-01-01,app,11,\n"
        "SRV-7,C7,2024-01-01,app,x,\n"
    )
    path = tmp_path / "s.csv"
    path.write_text(text)
    result = survey_csv.parse(path)
    assert result.rows.height == 3 and result.rows_in == 7
    assert [(r.record_ref, r.reason) for r in result.rejects] == [
        ("line 5", "unparseable date '2024-02-30' in response_date"),
        ("line 6", "missing customer_id"),
        ("line 7", "nps_score '11' out of range 0-10"),
        ("line 8", "unparseable int 'x' in nps_score"),
    ]
    assert result.rejects[0].raw == "SRV-4,CUST-4,2024-02-30,app,5,"


def test_bad_timestamp_in_process_log(tmp_path: Path) -> None:
    text = (LANDING / "process_log/process_events.csv").read_text()
    path = tmp_path / "p.csv"
    path.write_text(text + "PE-9,PO-9,order_fulfilment,Ship,yesterday,bot,system,execution\n")
    result = process_log_csv.parse(path)
    assert [r.reason for r in result.rejects] == ["unparseable ts 'yesterday' in timestamp"]


@pytest.mark.parametrize("module", [c[0] for c in CASES], ids=[c[0].FORMAT for c in CASES])
@pytest.mark.parametrize(
    "content", [b"", b"a,b\n1,2\n", b"\xff\xfe\xfa\xfb,\x00\n"], ids=["empty", "header", "binary"]
)
def test_malformed_file(module: ModuleType, content: bytes, tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    result = module.parse(path)
    assert result.rows_in == 1 and result.rows.height == 0
    assert result.rejects[0].record_ref == "<file>"
