"""The record rules of ingest: what a parser accepts but the platform must not load.

The parsers check syntax and types (a record that cannot be read is rejected there). The rules
here check meaning, and are derived from the dataset's spec (`orchestration.ingest.dataset_spec`),
the same table the expectation suites are derived from, so the two cannot disagree:

- a `required` column (or key column) that is null: `missing required field: <column>`;
- a repeated key within one file, for datasets whose spec sets `duplicate_reason` (the first
  record is kept);
- every `reject` rule of the spec: a time before 2000 or after now + 1 day, a value outside its
  range, a value not in its allowed set, a column order broken (completed before created), a
  pattern not matched; the reason is the rule's prefix, then `: ` and the offending value;
- the spec's `IngestRule`s, which need more than the row: a cell the landing zone's inventory
  does not list (skipped when it holds no inventory export), an order state that goes back or
  follows a final state, a count above its bound scaled to the reporting period.

A reject reason is `<prefix>: <detail>`; the first rule a record breaks names it. "Now" is the
ingest time. `warning` rules of the spec never reject: the record loads and the suite counts it.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import NamedTuple

import polars as pl

from orchestration.ingest.dataset_spec import (
    ALARM_UNKNOWN_CELL,
    COUNT_BOUND_PER_15MIN,
    COUNT_COUNTERS,
    COUNTER_ABOVE_BOUND,
    EARLIEST_PLAUSIBLE,
    FUTURE_TOLERANCE,
    MISSING_REQUIRED,
    OUT_OF_ORDER,
    PM_UNKNOWN_CELL,
    REJECT,
    DatasetSpec,
    Enum,
    Order,
    Pattern,
    Range,
    Time,
    reason_of,
    spec_for,
)
from orchestration.sources.result import ParseResult, Reject, truncate_raw

# order state rank: a state change may never go to a lower rank; nothing follows a final state
STATE_RANK = {"acknowledged": 0, "pending": 0, "inProgress": 1, "held": 1, "partial": 1}
FINAL_STATES = frozenset({"completed", "failed", "cancelled", "rejected"})
INVENTORY_DATASETS = frozenset({"pm_counters", "alarm_events"})  # rules that need the cells


@dataclass(frozen=True)
class Inventory:
    """Known cells: their ids and their PM object names (measObjLdn)."""

    cell_ids: frozenset[str]
    meas_obj_ldns: frozenset[str]

    @classmethod
    def from_landing(cls, landing_dir: Path, files: pl.DataFrame) -> Inventory | None:
        """The cells of every inventory export in the landing zone (None if there is none).

        `files` is the landing_files frame (file_path, format). Only loaded rows count.
        """
        from orchestration.sources import inventory_csv

        paths = files.filter(pl.col("format") == inventory_csv.FORMAT)["file_path"].to_list()
        if not paths:
            return None
        cells: set[str] = set()
        ldns: set[str] = set()
        for rel in sorted(paths):
            rows = inventory_csv.parse(landing_dir / rel).rows
            cells.update(rows["cell_id"].drop_nulls().to_list())
            ldns.update(rows["meas_obj_ldn"].drop_nulls().to_list())
        return cls(frozenset(cells), frozenset(ldns))


@dataclass(frozen=True)
class Context:
    """What the rules compare against: the inventory (or None) and the ingest time."""

    inventory: Inventory | None = None
    now: datetime = field(default_factory=lambda: datetime.now(UTC))

    @property
    def future_bound(self) -> datetime:
        return self.now + FUTURE_TOLERANCE


Rule = Callable[[pl.DataFrame, Context], pl.Series]


class Check(NamedTuple):
    """One rule as two expressions: where a row breaks it, and the reason text there.

    The reason (a string built from the row's values) is evaluated on the breaking rows only:
    a PM file holds ~770k counter values and almost none break a rule, so building every
    rule's text for every row (a `when/then` evaluates its `then` on the whole column) cost
    more than the checks themselves."""

    bad: pl.Expr
    reason: pl.Expr


def _no_reasons(height: int) -> pl.Series:
    return pl.repeat(None, height, dtype=pl.String, eager=True).alias("reason")


def _reasons(frame: pl.DataFrame, checks: list[Check]) -> pl.Series:
    """The first reason of `checks` per row (null = the row passes)."""
    if not checks or frame.height == 0:
        return _no_reasons(frame.height)
    flags = [f"__bad{i}" for i in range(len(checks))]
    masks = frame.select(
        check.bad.fill_null(False).alias(flag) for check, flag in zip(checks, flags, strict=True)
    )
    hit = masks.select(pl.any_horizontal(flags)).to_series()
    if not hit.any():
        return _no_reasons(frame.height)
    breaking = pl.concat([frame, masks], how="horizontal").filter(hit)
    texts = breaking.select(
        pl.coalesce(
            pl.when(pl.col(flag)).then(check.reason)
            for check, flag in zip(checks, flags, strict=True)
        )
        .cast(pl.String)
        .alias("reason")
    ).to_series()
    return _no_reasons(frame.height).scatter(hit.arg_true(), texts)


def _detail(prefix: str, *parts: pl.Expr | str) -> pl.Expr:
    return pl.concat_str(
        [pl.lit(f"{prefix}: "), *[p if isinstance(p, pl.Expr) else pl.lit(p) for p in parts]]
    )


def _shown(column: str) -> pl.Expr:
    return pl.col(column).cast(pl.String).fill_null("")


def _value_detail(spec: DatasetSpec, column: str) -> list[pl.Expr | str]:
    """`name=value` after a reason: the spec's detail columns, or the rule's own column."""
    name, value = spec.detail or (column, column)
    shown_name: pl.Expr | str = pl.col(name) if spec.detail else name
    return [shown_name, "=", _shown(value)]


def _when(only_when: tuple[str, tuple] | None) -> pl.Expr:
    if only_when is None:
        return pl.lit(True)
    column, values = only_when
    return pl.col(column).is_in(list(values)).fill_null(False)


# --- rules derived from the spec ---------------------------------------------------------------


def required_exprs(spec: DatasetSpec, columns: set[str]) -> list[Check]:
    """A null in a required column (the key's, unless `expected`, and `required`)."""
    return [
        Check(pl.col(c).is_null(), pl.lit(f"{MISSING_REQUIRED}: {c}"))
        for c in spec.required_columns
        if c in columns
    ]


def duplicate_exprs(spec: DatasetSpec, columns: set[str]) -> list[Check]:
    """A key already seen earlier in the file (the first one is kept)."""
    key = [c for c in spec.key if c in columns]
    if spec.duplicate_reason is None or not key:
        return []
    shown = pl.concat_str([_shown(c) for c in key], separator="|")
    dup = ~pl.struct(key).is_first_distinct()
    return [Check(dup, _detail(spec.duplicate_reason, shown))]


def _time_bound(moment: datetime, dtype: pl.DataType) -> datetime | date:
    return moment.date() if dtype == pl.Date else moment


def time_exprs(t: Time, dtype: pl.DataType, ctx: Context) -> list[Check]:
    """A time before 2000, or (unless `future` is off) after now + FUTURE_TOLERANCE."""
    col = pl.col(t.column)
    fmt = "%Y-%m-%d" if dtype == pl.Date else "%Y-%m-%dT%H:%M:%SZ"
    shown = col.dt.strftime(fmt)
    exprs = []
    if t.future:
        exprs.append(
            Check(col > _time_bound(ctx.future_bound, dtype), _detail(t.future_reason, shown))
        )
    exprs.append(
        Check(col < _time_bound(EARLIEST_PLAUSIBLE, dtype), _detail(t.floor_reason, shown))
    )
    return exprs


def rule_expr(spec: DatasetSpec, rule: Range | Enum | Order | Pattern) -> Check:
    """The reason of one value rule where a row breaks it (null otherwise)."""
    prefix = reason_of(rule)
    if isinstance(rule, Range):
        col = pl.col(rule.column)
        bad = pl.lit(False)
        if rule.min is not None:
            bad = bad | (col < rule.min)
        if rule.max is not None:
            bad = bad | (col > rule.max)
        return Check(
            bad & _when(rule.only_when), _detail(prefix, *_value_detail(spec, rule.column))
        )
    if isinstance(rule, Enum):
        col = pl.col(rule.column)
        bad = col.is_not_null() & ~col.is_in(list(rule.values))
        return Check(bad, _detail(prefix, *_value_detail(spec, rule.column)))
    if isinstance(rule, Order):
        bad = (pl.col(rule.later) < pl.col(rule.earlier)) & _when(rule.only_when)
        detail = (
            _value_detail(spec, rule.earlier)
            if spec.detail
            else [f"{rule.later}=", _shown(rule.later), f" {rule.earlier}=", _shown(rule.earlier)]
        )
        return Check(bad, _detail(prefix, *detail))
    col = pl.col(rule.column)
    bad = col.is_not_null() & ~col.cast(pl.String).str.contains(rule.regex)
    return Check(bad, _detail(prefix, *_value_detail(spec, rule.column)))


def spec_rule_reasons(dataset: str, frame: pl.DataFrame, ctx: Context) -> pl.Series:
    """Per row, the first spec rule of `dataset` it breaks (null = it passes): required fields,
    in-file duplicates, times, then every other reject rule, in the spec's order."""
    spec = spec_for(dataset)
    columns = set(frame.columns)
    exprs = [*required_exprs(spec, columns), *duplicate_exprs(spec, columns)]
    for t in spec.times:
        if t.severity == REJECT and t.column in columns:
            exprs += time_exprs(t, frame.schema[t.column], ctx)
    for rule in spec.rules:
        if isinstance(rule, Time) or rule.severity != REJECT:
            continue
        needed = (rule.later, rule.earlier) if isinstance(rule, Order) else (rule.column,)
        if set(needed) <= columns:
            exprs.append(rule_expr(spec, rule))
    return _reasons(frame, exprs)


# --- rules that need more than the row (IngestRule in the spec) -------------------------------


def pm_count_above_bound(frame: pl.DataFrame, ctx: Context) -> pl.Series:
    """A count above 100,000 per 15 minutes, scaled to the reporting period."""
    scale = pl.col("granularity_s").fill_null(900).cast(pl.Float64) / 900.0
    bad = pl.col("counter").is_in(COUNT_COUNTERS) & (
        pl.col("value") > COUNT_BOUND_PER_15MIN * scale
    )
    spec = spec_for("pm_counters")
    return _reasons(
        frame,
        [Check(bad, _detail(COUNTER_ABOVE_BOUND, *_value_detail(spec, "value")))],
    )


def is_cell_object(ldn: pl.Expr) -> pl.Expr:
    """Whether a measObjLdn names a cell: its last RDN's class contains `Cell`."""
    return ldn.str.extract(r"([^,=]+)=[^,=]*$", 1).str.contains("Cell").fill_null(False)


def pm_unknown_cell(frame: pl.DataFrame, ctx: Context) -> pl.Series:
    """A cell object that the inventory does not list (skipped without an inventory)."""
    if ctx.inventory is None:
        return _reasons(frame, [])
    # decided once per distinct object (a PM file repeats each a few hundred times)
    objects = frame.select(pl.col("meas_obj_ldn").unique())
    unknown = objects.filter(
        is_cell_object(pl.col("meas_obj_ldn"))
        & ~pl.col("meas_obj_ldn").is_in(list(ctx.inventory.meas_obj_ldns))
    )["meas_obj_ldn"]
    bad = pl.col("meas_obj_ldn").is_in(unknown.to_list())
    return _reasons(frame, [Check(bad, _detail(PM_UNKNOWN_CELL, pl.col("meas_obj_ldn")))])


def alarm_unknown_cell(frame: pl.DataFrame, ctx: Context) -> pl.Series:
    """An alarm whose cellId the inventory does not list (skipped without an inventory)."""
    if ctx.inventory is None:
        return _reasons(frame, [])
    known = list(ctx.inventory.cell_ids)
    bad = pl.col("cell_id").is_not_null() & ~pl.col("cell_id").is_in(known)
    return _reasons(frame, [Check(bad, _detail(ALARM_UNKNOWN_CELL, pl.col("cell_id")))])


def order_event_out_of_order(frame: pl.DataFrame, ctx: Context) -> pl.Series:
    """Per order, in time order (file order on ties): an event after a final state, or one whose
    state ranks below a state already reached (inProgress -> acknowledged). Unknown states and
    duplicates of an eventId are left to other rules."""
    out: list[str | None] = [None] * frame.height
    if frame.height == 0:
        return pl.Series("reason", out, dtype=pl.String)
    order = (
        frame.select("order_id", "event_time_utc", "state", "event_id")
        .with_row_index("__i")
        .filter(pl.col("event_id").is_first_distinct())
        .sort(["order_id", "event_time_utc", "__i"], nulls_last=True)
    )
    last: dict[str, tuple[int, str]] = {}  # order -> (highest rank reached, its state)
    for i, oid, state in order.select("__i", "order_id", "state").iter_rows():
        if oid is None or state is None:
            continue
        rank = 2 if state in FINAL_STATES else STATE_RANK.get(state)
        if rank is None:
            continue
        prev = last.get(oid)
        if prev is not None and (prev[1] in FINAL_STATES or rank < prev[0]):
            out[i] = f"{OUT_OF_ORDER}: {prev[1]} -> {state}"
            continue
        if prev is None or rank >= prev[0]:
            last[oid] = (rank, state)
    return pl.Series("reason", out, dtype=pl.String)


INGEST_RULES: dict[str, Rule] = {
    "pm_count_above_bound": pm_count_above_bound,
    "pm_unknown_cell": pm_unknown_cell,
    "alarm_unknown_cell": alarm_unknown_cell,
    "order_event_out_of_order": order_event_out_of_order,
}


def record_reasons(dataset: str, frame: pl.DataFrame, ctx: Context) -> pl.Series:
    """Per row, the reason of the first record rule it breaks (null = the row loads)."""
    per_rule = [spec_rule_reasons(dataset, frame, ctx).alias("spec")]
    for rule in spec_for(dataset).ingest_rules:
        per_rule.append(INGEST_RULES[rule.name](frame, ctx).alias(rule.name))
    return pl.DataFrame(per_rule).select(pl.coalesce(pl.all()).alias("reason")).to_series()


def apply_record_rules(dataset: str, result: ParseResult, ctx: Context) -> ParseResult:
    """Move the rows that break a record rule of `dataset` to the rejects (first rule wins)."""
    rows = result.rows
    if rows.height == 0:
        return result
    reasons = record_reasons(dataset, rows, ctx)
    bad = reasons.is_not_null()
    if not bad.any():
        return result
    refs = pl.Series("ref", list(result.record_refs), dtype=pl.String)
    rejects = list(result.rejects)
    bad_rows = rows.filter(bad)
    bad_refs = refs.filter(bad).to_list()
    for ref, reason, row in zip(
        bad_refs, reasons.filter(bad).to_list(), bad_rows.iter_rows(named=True), strict=True
    ):
        if dataset == "pm_counters":
            ref = f"{ref}/{row['counter']}"
        rejects.append(Reject(ref, reason, truncate_raw(_raw(row))))
    keep = ~bad
    return ParseResult(
        rows=rows.filter(keep),
        rejects=rejects,
        rows_in=result.rows_in,
        record_refs=refs.filter(keep),
    )


def _raw(row: dict) -> str:
    return json.dumps(row, default=str, ensure_ascii=False, separators=(",", ":"))
