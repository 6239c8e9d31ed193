"""The dataset spec is the one definition of a valid record: every bronze dataset has one, it names
only bronze columns, and the record rules and the expectation suites derived from it agree row by
row (a record ingest quarantines is exactly a record the suite's ERROR expectations flag; a record
that loads with a warning fails a WARNING expectation only)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from orchestration.ingest import dataset_spec as spec_module
from orchestration.ingest.dataset_spec import (
    REJECT,
    SPECS,
    DatasetSpec,
    Enum,
    Order,
    Pattern,
    Range,
    Time,
    all_spec_markdown,
    reason_of,
)
from orchestration.ingest.record_rules import INGEST_RULES, Context, record_reasons
from orchestration.quality.gx_runner import run_gx
from orchestration.quality.suites import ERROR, SCHEMA_TYPES, bronze_columns, expectation_specs
from orchestration.sources import DATASETS

NOW = datetime(2026, 6, 1, tzinfo=UTC)
GOOD_TIME = datetime(2026, 2, 1, tzinfo=UTC)
GOOD_TEXT = {spec_module.CURRENCY: "EUR"}  # a value that matches each pattern


def test_every_bronze_dataset_has_a_spec_naming_only_its_columns() -> None:
    assert set(DATASETS) == set(SPECS), "add a DatasetSpec for every bronze dataset"
    for dataset, spec in SPECS.items():
        columns = set(bronze_columns(dataset))
        named = {*spec.key, *spec.required, *spec.expected, *spec.unique}
        for rule in spec.rules:
            named |= {rule.later, rule.earlier} if isinstance(rule, Order) else {rule.column}
            if getattr(rule, "only_when", None):
                named.add(rule.only_when[0])
        if spec.detail:
            named |= set(spec.detail)
        assert named <= columns, (dataset, named - columns)
        assert not set(spec.required) & set(spec.expected), dataset


def test_every_ingest_rule_named_in_a_spec_exists_and_every_one_is_named() -> None:
    named = {r.name for spec in SPECS.values() for r in spec.ingest_rules}
    assert named == set(INGEST_RULES)


def test_real_producers_optional_fields_are_expected_not_required() -> None:
    alarms = SPECS["alarm_events"]
    assert {"sequence", "reporting_entity"} <= set(alarms.expected)
    assert "sequence" not in alarms.required_columns and "sequence" in alarms.key


# --- row-by-row agreement ----------------------------------------------------------------------


def _good_value(column: str, dtype: pl.DataType, spec: DatasetSpec) -> Any:
    for rule in spec.rules:
        if isinstance(rule, Enum) and rule.column == column:
            return rule.values[0]
        if isinstance(rule, Pattern) and rule.column == column:
            return GOOD_TEXT[rule.regex]
    if column in {r.only_when[0] for r in spec.rules if getattr(r, "only_when", None)}:
        return "an unconditioned value"
    if dtype == pl.Date:
        return GOOD_TIME.date()
    if isinstance(dtype, pl.Datetime):
        return GOOD_TIME
    if dtype == pl.Boolean:
        return False
    if dtype.is_numeric():
        bounds = [r for r in spec.ranges if r.column == column and r.only_when is None]
        low = max((r.min for r in bounds if r.min is not None), default=1)
        return max(low, 1) if dtype.is_integer() else float(max(low, 1))
    return "x"


def _good_row(dataset: str, spec: DatasetSpec) -> dict[str, Any]:
    return {c: _good_value(c, t, spec) for c, t in bronze_columns(dataset).items()}


def _own_key(row: dict[str, Any], spec: DatasetSpec, i: int) -> dict[str, Any]:
    """The row with a key of its own (row `i`), nulls left null."""
    out = dict(row)
    conditions = {r.only_when[0] for r in spec.rules if getattr(r, "only_when", None)}
    for column in (*spec.key, *spec.unique):
        if column in conditions:
            continue  # a rule's condition (the PM counter name): keep it as the rule set it
        if isinstance(out[column], str):
            out[column] = f"{out[column]}-{i}"
        elif isinstance(out[column], datetime) and column not in {t.column for t in spec.times}:
            out[column] = out[column] + timedelta(seconds=i)
    if not any(isinstance(out[c], str) for c in spec.key) and "source_record" in out:
        out["source_file"] = f"file-{i}"  # a key without text: one file per row
    return out


def _breaking(rule: Range | Enum | Time | Order | Pattern, row: dict) -> list[dict]:
    """Rows that break `rule` (and only it) by changing the good `row`."""
    if isinstance(rule, Range):
        out = []
        base = {**row, rule.only_when[0]: rule.only_when[1][0]} if rule.only_when else row
        if rule.min is not None:
            out.append({**base, rule.column: type(row[rule.column])(rule.min - 1)})
        if rule.max is not None:
            out.append({**base, rule.column: type(row[rule.column])(rule.max + 1)})
        return out
    if isinstance(rule, Enum):
        return [{**row, rule.column: "not-a-standard-value"}]
    if isinstance(rule, Pattern):
        return [{**row, rule.column: "??"}]
    if isinstance(rule, Time):
        ancient = datetime(1999, 6, 1, tzinfo=UTC)
        future = NOW + timedelta(days=3)
        as_date = isinstance(row[rule.column], date) and not isinstance(row[rule.column], datetime)
        times = [ancient, future] if rule.future else [ancient]
        return [{**row, rule.column: t.date() if as_date else t} for t in times]
    base = {**row, rule.only_when[0]: rule.only_when[1][0]} if rule.only_when else row
    later = base[rule.later]
    earlier = later + timedelta(days=1) if isinstance(later, date) else later + 1
    return [{**base, rule.earlier: earlier}]


def _breaks_a_reject_range(spec: DatasetSpec, rule: Any, row: dict) -> bool:
    if not isinstance(rule, Range):
        return False
    value = row[rule.column]
    return any(
        r.severity == REJECT
        and r.column == rule.column
        and r.only_when is None
        and ((r.min is not None and value < r.min) or (r.max is not None and value > r.max))
        for r in spec.ranges
    )


def _cases(dataset: str) -> tuple[pl.DataFrame, dict[int, str | None], set[int]]:
    """A frame of good rows and rows each breaking one rule; the reason prefix ingest must give
    each rejected row (None: it loads), and the rows that only warn."""
    spec = SPECS[dataset]
    good = _good_row(dataset, spec)
    rows: list[dict] = [_own_key(good, spec, 0)]
    expected: dict[int, str | None] = {0: None}
    warns: set[int] = set()

    def add(row: dict, reason: str | None) -> None:
        rows.append(_own_key(row, spec, len(rows)))
        expected[len(rows) - 1] = reason
        if reason is None:
            warns.add(len(rows) - 1)

    for column in spec.required_columns:
        add({**good, column: None}, "missing required field")
    for column in spec.expected:
        add({**good, column: None}, None)
    for rule in spec.rules:
        for bad in _breaking(rule, good):
            if rule.severity != REJECT and _breaks_a_reject_range(spec, rule, bad):
                continue  # e.g. a duration below 0 breaks the reject rule, not the warning
            if rule.severity != REJECT:
                add(bad, None)
            elif isinstance(rule, Time):
                t = bad[rule.column]
                add(bad, rule.floor_reason if t.year < 2000 else rule.future_reason)
            else:
                add(bad, reason_of(rule))
    return pl.DataFrame(rows, schema=bronze_columns(dataset), orient="row"), expected, warns


@pytest.mark.parametrize("dataset", sorted(SPECS))
def test_ingest_rejects_exactly_the_rows_the_error_expectations_flag(dataset: str) -> None:
    frame, expected, warns = _cases(dataset)
    reasons = record_reasons(dataset, frame, Context(inventory=None, now=NOW)).to_list()
    for i, prefix in expected.items():
        if prefix is None:
            assert reasons[i] is None, (dataset, frame.row(i, named=True), reasons[i])
        else:
            assert reasons[i] is not None and reasons[i].startswith(prefix), (i, reasons[i])

    specs = [
        s
        for s in expectation_specs(
            SPECS[dataset], bronze_columns(dataset), as_of=GOOD_TIME, now=NOW
        )
        if s.type != SCHEMA_TYPES and not s.type.startswith("expect_table")
    ]
    results = run_gx(frame, specs, dataset, row_indexes=True)
    flagged = {ERROR: set(), "warning": set()}
    for s, result in zip(specs, results, strict=True):
        flagged[s.severity] |= set(result["unexpected_rows"] or ())
    rejected = {i for i, r in enumerate(reasons) if r is not None}
    assert flagged[ERROR] == rejected, dataset
    assert warns <= flagged["warning"], dataset


@pytest.mark.parametrize("dataset", sorted(d for d, s in SPECS.items() if s.duplicate_reason))
def test_a_key_repeated_in_a_file_is_quarantined_where_the_spec_says_so(dataset: str) -> None:
    spec = SPECS[dataset]
    row = _own_key(_good_row(dataset, spec), spec, 0)
    frame = pl.DataFrame([row, row], schema=bronze_columns(dataset), orient="row")
    reasons = record_reasons(dataset, frame, Context(inventory=None, now=NOW)).to_list()
    assert reasons[0] is None and reasons[1].startswith(spec.duplicate_reason)


def test_the_docs_show_the_spec_as_it_is() -> None:
    """docs/data_contracts.md holds the generated tables; regenerate them with
    `uv run python -m orchestration.ingest.dataset_spec` after changing a spec or a schema."""
    doc = (Path(__file__).parents[2] / "docs" / "data_contracts.md").read_text(encoding="utf-8")
    start = doc.index("<!-- dataset spec tables")
    block = doc[doc.index("\n", start) + 1 : doc.index("<!-- end of dataset spec tables -->")]
    assert block.strip() == all_spec_markdown().strip()
