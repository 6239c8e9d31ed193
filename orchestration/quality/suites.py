"""The expectation suite of each bronze dataset, derived from its spec.

The spec (`orchestration.ingest.dataset_spec`) is the one definition of a valid record; ingest's
record rules are derived from it too, so the two cannot disagree. Severity decides what a failure
does:
- `error`: the dataset as a whole went wrong, or ingest has a bug: schema or type drift, null
  lineage, a key repeated within one delivered file, or a spec `reject` rule broken (required
  field null, impossible value, time before 2000 or after now + 1 day) by a row that ingest
  should have quarantined. It blocks the dbt models that read the dataset (`blocking`).
- `warning`: implausible but possibly legitimate (an optional field left out, an unknown vendor,
  a credit note, a time more than a day after every other source's newest record). Counted and
  shown; nothing is blocked.

Columns and types come from the parser registry (`orchestration.sources` SCHEMA plus the bronze
lineage columns), so a schema change in a parser changes the expected schema here too. A dataset
without a spec still gets the generic part (schema, types, lineage).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal

import polars as pl

from orchestration.ingest.dataset_spec import (
    EARLIEST_PLAUSIBLE,
    FUTURE_TOLERANCE,
    REJECT,
    DatasetSpec,
    Enum,
    Order,
    Pattern,
    Range,
    Time,
)

Severity = Literal["error", "warning"]
ERROR: Severity = "error"
WARNING: Severity = "warning"
LINEAGE_COLUMNS: dict[str, pl.DataType] = {"source_file": pl.String(), "source_record": pl.String()}

# Expectations the runner computes itself from the Parquet schema (GX sees pandas dtypes only).
SCHEMA_TYPES = "expect_column_types_to_match_schema"


@dataclass(frozen=True)
class ExpectationSpec:
    """One expectation as the runner executes it: a GX expectation type (snake case) and its
    arguments, or SCHEMA_TYPES (checked against the Parquet schema)."""

    type: str
    severity: Severity
    column: str | None = None
    kwargs: Mapping[str, Any] = field(default_factory=dict)
    note: str | None = None  # tells apart two expectations of one type on one column

    @property
    def label(self) -> str:
        """Stable, human-readable name: `expect_...(column)`."""
        if self.type.startswith("expect_table"):
            return self.type
        if "column_A" in self.kwargs:
            target = f"{self.kwargs['column_A']}>={self.kwargs['column_B']}"
        else:
            target = self.column or ",".join(self.kwargs.get("column_list", ()))
        if self.note:
            target = f"{target}: {self.note}"
        return f"{self.type}({target})" if target else self.type


def bronze_columns(dataset: str) -> dict[str, pl.DataType]:
    """The dataset's bronze columns and types: the parser's SCHEMA, then the lineage columns."""
    from orchestration.sources import parser_for_dataset

    return {**parser_for_dataset(dataset).SCHEMA, **LINEAGE_COLUMNS}


def _fmt(bound: float | None) -> str:
    return "" if bound is None else f"{bound:g}"


def _bound(dtype: pl.DataType | None, moment: datetime) -> datetime:
    """A time bound in the column's own representation (a Date column compares naive)."""
    if dtype is not None and dtype == pl.Date:
        return datetime.combine(moment.date(), datetime.min.time())
    return moment


def gx_severity(severity: str) -> Severity:
    """A spec rule's severity as a check's: `reject` rules are errors after ingest."""
    return ERROR if severity == REJECT else WARNING


def _not_null(spec: DatasetSpec, has: set[str]) -> list[ExpectationSpec]:
    required = [c for c in spec.required_columns if c in has]
    expected = [c for c in spec.expected if c in has and c not in required]
    return [
        *(ExpectationSpec("expect_column_values_to_not_be_null", ERROR, c) for c in required),
        *(ExpectationSpec("expect_column_values_to_not_be_null", WARNING, c) for c in expected),
    ]


def _uniqueness(columns: Sequence[str]) -> list[ExpectationSpec]:
    """Unique within one delivered file (error) and across deliveries (warning)."""
    within = ExpectationSpec(
        "expect_compound_columns_to_be_unique",
        ERROR,
        kwargs={"column_list": [*columns, "source_file"]},
        note="within one delivered file",
    )
    if len(columns) == 1:
        across = ExpectationSpec(
            "expect_column_values_to_be_unique", WARNING, columns[0], note="across deliveries"
        )
    else:
        across = ExpectationSpec(
            "expect_compound_columns_to_be_unique",
            WARNING,
            kwargs={"column_list": list(columns)},
            note="across deliveries",
        )
    return [within, across]


def _with_condition(kwargs: dict[str, Any], note: str, only_when) -> str:
    if only_when is not None:
        kwargs["only_when"] = only_when
        note += f" when {only_when[0]} in {len(only_when[1])} values"
    return note


def _value_rule(rule: Range | Enum | Order | Pattern, has: set[str]) -> ExpectationSpec | None:
    severity = gx_severity(rule.severity)
    if isinstance(rule, Order):
        if not {rule.later, rule.earlier} <= has:
            return None
        kwargs: dict[str, Any] = {"column_A": rule.later, "column_B": rule.earlier}
        kwargs["or_equal"] = True
        note = _with_condition(kwargs, "", rule.only_when) or None
        return ExpectationSpec(
            "expect_column_pair_values_a_to_be_greater_than_b", severity, None, kwargs, note
        )
    if rule.column not in has:
        return None
    if isinstance(rule, Range):
        kwargs = {"min_value": rule.min, "max_value": rule.max}
        note = _with_condition(kwargs, f"{_fmt(rule.min)}..{_fmt(rule.max)}", rule.only_when)
        return ExpectationSpec(
            "expect_column_values_to_be_between", severity, rule.column, kwargs, note
        )
    if isinstance(rule, Enum):
        return ExpectationSpec(
            "expect_column_values_to_be_in_set",
            severity,
            rule.column,
            {"value_set": list(rule.values)},
        )
    return ExpectationSpec(
        "expect_column_values_to_match_regex", severity, rule.column, {"regex": rule.regex}
    )


def _times(
    t: Time, dtype: pl.DataType | None, as_of: datetime | None, now: datetime
) -> list[ExpectationSpec]:
    """A reject time: after 2000 and not after now + 1 day (error, as ingest checks it), and
    within a day of the other sources' newest record (warning). A warning time: both bounds in
    one warning."""
    floor = _bound(dtype, EARLIEST_PLAUSIBLE)
    relative = _bound(dtype, as_of + FUTURE_TOLERANCE) if (t.future and as_of) else None
    if t.severity != REJECT:
        return [
            ExpectationSpec(
                "expect_column_values_to_be_between",
                WARNING,
                t.column,
                {"min_value": floor, "max_value": relative},
                "plausible time" if t.future else "after 2000",
            )
        ]
    upper = _bound(dtype, now + FUTURE_TOLERANCE) if t.future else None
    specs = [
        ExpectationSpec(
            "expect_column_values_to_be_between",
            ERROR,
            t.column,
            {"min_value": floor, "max_value": upper},
            "plausible time" if t.future else "after 2000",
        )
    ]
    if relative is not None:
        specs.append(
            ExpectationSpec(
                "expect_column_values_to_be_between",
                WARNING,
                t.column,
                {"min_value": None, "max_value": relative},
                "within a day of the other sources",
            )
        )
    return specs


def expectation_specs(
    spec: DatasetSpec,
    schema: Mapping[str, pl.DataType],
    *,
    as_of: datetime | None = None,
    now: datetime | None = None,
) -> list[ExpectationSpec]:
    """Expand a dataset's spec into the expectations to run, for bronze `schema`.

    `as_of` is the newest record time of the other sources (see `freshness.reference_times`);
    None leaves out the comparison with them. `now` (default: the current time) bounds reject
    times as ingest did. Columns the spec names that are not in the schema are skipped here: the
    schema expectations already report them.
    """
    now = now or datetime.now(UTC)
    has = set(schema)
    specs = [
        ExpectationSpec(
            "expect_table_columns_to_match_ordered_list",
            ERROR,
            kwargs={"column_list": list(schema)},
        ),
        ExpectationSpec(SCHEMA_TYPES, ERROR),
        ExpectationSpec("expect_column_values_to_not_be_null", ERROR, "source_file"),
    ]
    if spec.delivered:
        specs.append(
            ExpectationSpec(
                "expect_table_row_count_to_be_between", WARNING, kwargs={"min_value": 1}
            )
        )
    specs += _not_null(spec, has)
    key = [c for c in spec.key if c in has]
    if key:
        specs += _uniqueness(key)
    for column in spec.unique:
        if column in has:
            specs += _uniqueness([column])
    for rule in spec.rules:
        if isinstance(rule, Time):
            if rule.column in has:
                specs += _times(rule, schema.get(rule.column), as_of, now)
        elif (expectation := _value_rule(rule, has)) is not None:
            specs.append(expectation)
    return specs
