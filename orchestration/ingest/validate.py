"""Semantic validation of parsed records: what a parser accepts but the platform must not load.

The parsers check syntax and types (a record that cannot be read is rejected there). The rules
here check meaning, one small pure function per rule, each with its own reason prefix (a reject
reason is `<prefix>: <detail>`):

- pm_counters: a canonical counter below zero (`negative counter value`); RRC attempts or
  successes, bearer releases above 100,000 per 15 min, or a user throughput above 10 Gbit/s
  (`counter value above its physical bound`); a PRB utilisation above 100 %
  (`percentage above 100`); `CELL.UnavailTime` longer than the period (`unavailable time longer
  than the period`); a cell object (last RDN `…Cell…=`) that the inventory does not list
  (`unknown cell: measObjLdn not in the inventory`); a period end after now + 1 day or before
  2000 (`granPeriod endTime in the future` / `granPeriod endTime before 2000-01-01`).
- alarm_events: a `cellId` the inventory does not list (`unknown cell: alarm cellId not in the
  inventory`); a start after now + 1 day or before 2000 (`alarm event time in the future` /
  `alarm event time before 2000-01-01`).
- order_events: an eventId seen earlier in the file (`duplicate order event (same eventId)`); a
  state that goes back, after a final state or to a lower rank such as inProgress ->
  acknowledged (`out-of-order state change`); an eventTime after now + 1 day or before 2000
  (`order eventTime in the future` / `order eventTime before 2000-01-01`).
- product_orders: completionDate before creationDate (`order completed before it was created`).
- usage: a negative volume or duration (`negative usage volume or duration`).
- process_events: an event_id seen earlier in the file (`duplicate process event (same
  event_id)`).

Counter rules apply to the canonical counters of `docs/landing_zone.md` only (a VES
measurement's gauges may legitimately be negative). The unknown-cell rules need the inventory:
they apply when the landing zone holds an inventory export (`inventory_csv`), read by
`Inventory.from_landing`, and are skipped otherwise. "Now" is the ingest time.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import polars as pl

from orchestration.sources.result import ParseResult, Reject, truncate_raw

EARLIEST_PLAUSIBLE = datetime(2000, 1, 1, tzinfo=UTC)
FUTURE_TOLERANCE = timedelta(days=1)

NEGATIVE_COUNTER = "negative counter value"
COUNTER_ABOVE_BOUND = "counter value above its physical bound"
PERCENT_ABOVE_100 = "percentage above 100"
UNAVAILABLE_OVER_PERIOD = "unavailable time longer than the period"
PM_UNKNOWN_CELL = "unknown cell: measObjLdn not in the inventory"
PM_FUTURE = "granPeriod endTime in the future"
PM_BEFORE_FLOOR = "granPeriod endTime before 2000-01-01"
ALARM_UNKNOWN_CELL = "unknown cell: alarm cellId not in the inventory"
ALARM_FUTURE = "alarm event time in the future"
ALARM_BEFORE_FLOOR = "alarm event time before 2000-01-01"
ORDER_EVENT_DUPLICATE = "duplicate order event (same eventId)"
OUT_OF_ORDER = "out-of-order state change"
ORDER_EVENT_FUTURE = "order eventTime in the future"
ORDER_EVENT_BEFORE_FLOOR = "order eventTime before 2000-01-01"
COMPLETED_BEFORE_CREATED = "order completed before it was created"
USAGE_NEGATIVE = "negative usage volume or duration"
PROCESS_DUPLICATE = "duplicate process event (same event_id)"

# Canonical counters (docs/landing_zone.md): none may be negative.
COUNT_BOUND_PER_15MIN = 100_000.0  # RRC attempts, bearer releases: a cell serves far fewer
THROUGHPUT_BOUND_KBPS = 10_000_000.0  # 10 Gbit/s mean user throughput
COUNT_COUNTERS = ("RRC.ConnEstab.Att", "RRC.ConnEstab.Succ", "DRB.RelAbnormal", "DRB.RelNormal")
THROUGHPUT_COUNTERS = ("DRB.UEThpDl", "DRB.UEThpUl")
PERCENT_COUNTERS = ("RRU.PrbUsedDl", "RRU.PrbUsedUl")
UNAVAIL_COUNTER = "CELL.UnavailTime"
NON_NEGATIVE = (*COUNT_COUNTERS, *THROUGHPUT_COUNTERS, *PERCENT_COUNTERS, UNAVAIL_COUNTER)
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


def _reasons(frame: pl.DataFrame, exprs: list[pl.Expr]) -> pl.Series:
    """The first non-null reason of `exprs` per row (null = the row passes)."""
    if not exprs or frame.height == 0:
        return pl.Series("reason", [None] * frame.height, dtype=pl.String)
    return frame.select(pl.coalesce(exprs).cast(pl.String).alias("reason"))["reason"]


def _detail(prefix: str, *parts: pl.Expr | str) -> pl.Expr:
    return pl.concat_str(
        [pl.lit(f"{prefix}: "), *[p if isinstance(p, pl.Expr) else pl.lit(p) for p in parts]]
    )


def _time_rules(column: str, future: str, floor: str, ctx: Context) -> list[pl.Expr]:
    col = pl.col(column)
    shown = col.dt.strftime("%Y-%m-%dT%H:%M:%SZ")
    return [
        pl.when(col > ctx.future_bound).then(_detail(future, shown)),
        pl.when(col < EARLIEST_PLAUSIBLE).then(_detail(floor, shown)),
    ]


# --- pm_counters -----------------------------------------------------------------------------


def pm_negative_counter(frame: pl.DataFrame, ctx: Context) -> pl.Series:
    """A canonical counter below zero."""
    bad = pl.col("counter").is_in(NON_NEGATIVE) & (pl.col("value") < 0)
    return _reasons(frame, [pl.when(bad).then(_pm_detail(NEGATIVE_COUNTER))])


def pm_counter_above_bound(frame: pl.DataFrame, ctx: Context) -> pl.Series:
    """A count above 100,000 per 15 minutes (scaled to the period) or a throughput > 10 Gbit/s."""
    scale = pl.col("granularity_s").fill_null(900).cast(pl.Float64) / 900.0
    bad = (
        pl.col("counter").is_in(COUNT_COUNTERS) & (pl.col("value") > COUNT_BOUND_PER_15MIN * scale)
    ) | (pl.col("counter").is_in(THROUGHPUT_COUNTERS) & (pl.col("value") > THROUGHPUT_BOUND_KBPS))
    return _reasons(frame, [pl.when(bad).then(_pm_detail(COUNTER_ABOVE_BOUND))])


def pm_percentage_above_100(frame: pl.DataFrame, ctx: Context) -> pl.Series:
    """A PRB utilisation [%] above 100."""
    bad = pl.col("counter").is_in(PERCENT_COUNTERS) & (pl.col("value") > 100)
    return _reasons(frame, [pl.when(bad).then(_pm_detail(PERCENT_ABOVE_100))])


def pm_unavailable_over_period(frame: pl.DataFrame, ctx: Context) -> pl.Series:
    """CELL.UnavailTime [s] longer than the reporting period."""
    bad = (
        (pl.col("counter") == UNAVAIL_COUNTER)
        & pl.col("granularity_s").is_not_null()
        & (pl.col("value") > pl.col("granularity_s"))
    )
    return _reasons(frame, [pl.when(bad).then(_pm_detail(UNAVAILABLE_OVER_PERIOD))])


def is_cell_object(ldn: pl.Expr) -> pl.Expr:
    """Whether a measObjLdn names a cell: its last RDN's class contains `Cell`."""
    return ldn.str.extract(r"([^,=]+)=[^,=]*$", 1).str.contains("Cell").fill_null(False)


def pm_unknown_cell(frame: pl.DataFrame, ctx: Context) -> pl.Series:
    """A cell object that the inventory does not list (skipped without an inventory)."""
    if ctx.inventory is None:
        return _reasons(frame, [])
    known = list(ctx.inventory.meas_obj_ldns)
    bad = is_cell_object(pl.col("meas_obj_ldn")) & ~pl.col("meas_obj_ldn").is_in(known)
    return _reasons(frame, [pl.when(bad).then(_detail(PM_UNKNOWN_CELL, pl.col("meas_obj_ldn")))])


def pm_period_time(frame: pl.DataFrame, ctx: Context) -> pl.Series:
    """A period end after now + 1 day, or before 2000."""
    return _reasons(frame, _time_rules("period_end_utc", PM_FUTURE, PM_BEFORE_FLOOR, ctx))


def _pm_detail(prefix: str) -> pl.Expr:
    return _detail(prefix, pl.col("counter"), "=", pl.col("value_raw").fill_null(""))


# --- alarm_events -----------------------------------------------------------------------------


def alarm_unknown_cell(frame: pl.DataFrame, ctx: Context) -> pl.Series:
    """An alarm whose cellId the inventory does not list (skipped without an inventory)."""
    if ctx.inventory is None:
        return _reasons(frame, [])
    known = list(ctx.inventory.cell_ids)
    bad = pl.col("cell_id").is_not_null() & ~pl.col("cell_id").is_in(known)
    return _reasons(frame, [pl.when(bad).then(_detail(ALARM_UNKNOWN_CELL, pl.col("cell_id")))])


def alarm_time(frame: pl.DataFrame, ctx: Context) -> pl.Series:
    """An alarm start after now + 1 day, or before 2000."""
    return _reasons(frame, _time_rules("event_time_utc", ALARM_FUTURE, ALARM_BEFORE_FLOOR, ctx))


# --- order_events -----------------------------------------------------------------------------


def order_event_duplicate(frame: pl.DataFrame, ctx: Context) -> pl.Series:
    """An eventId already seen earlier in the file (the first one is kept)."""
    dup = ~pl.col("event_id").is_first_distinct()
    return _reasons(frame, [pl.when(dup).then(_detail(ORDER_EVENT_DUPLICATE, pl.col("event_id")))])


def order_event_time(frame: pl.DataFrame, ctx: Context) -> pl.Series:
    """An eventTime after now + 1 day, or before 2000."""
    return _reasons(
        frame, _time_rules("event_time_utc", ORDER_EVENT_FUTURE, ORDER_EVENT_BEFORE_FLOOR, ctx)
    )


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


# --- other datasets ---------------------------------------------------------------------------


def order_completed_before_created(frame: pl.DataFrame, ctx: Context) -> pl.Series:
    """A completionDate before the order's creationDate."""
    bad = pl.col("completion_at") < pl.col("creation_at")
    shown = pl.col("completion_at").dt.strftime("%Y-%m-%dT%H:%M:%SZ")
    return _reasons(frame, [pl.when(bad).then(_detail(COMPLETED_BEFORE_CREATED, shown))])


def usage_negative(frame: pl.DataFrame, ctx: Context) -> pl.Series:
    """A negative volume or duration."""
    bad = (pl.col("volume_mb") < 0) | (pl.col("duration_s") < 0)
    detail = pl.format("volumeMB={} durationSec={}", pl.col("volume_mb"), pl.col("duration_s"))
    return _reasons(frame, [pl.when(bad).then(_detail(USAGE_NEGATIVE, detail))])


def process_event_duplicate(frame: pl.DataFrame, ctx: Context) -> pl.Series:
    """An event_id already seen earlier in the file (the first one is kept)."""
    dup = ~pl.col("event_id").is_first_distinct()
    return _reasons(frame, [pl.when(dup).then(_detail(PROCESS_DUPLICATE, pl.col("event_id")))])


RULES: dict[str, tuple[Rule, ...]] = {
    "pm_counters": (
        pm_period_time,
        pm_unknown_cell,
        pm_negative_counter,
        pm_percentage_above_100,
        pm_unavailable_over_period,
        pm_counter_above_bound,
    ),
    "alarm_events": (alarm_time, alarm_unknown_cell),
    "order_events": (order_event_duplicate, order_event_time, order_event_out_of_order),
    "product_orders": (order_completed_before_created,),
    "usage": (usage_negative,),
    "process_events": (process_event_duplicate,),
}


def validate(dataset: str, result: ParseResult, ctx: Context) -> ParseResult:
    """Move the rows that break a rule of `dataset` to the rejects (first rule wins)."""
    rules = RULES.get(dataset, ())
    rows = result.rows
    if not rules or rows.height == 0:
        return result
    per_rule = pl.DataFrame([rule(rows, ctx).alias(f"r{i}") for i, rule in enumerate(rules)])
    reasons = per_rule.select(pl.coalesce(pl.all()).alias("reason")).to_series()
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
