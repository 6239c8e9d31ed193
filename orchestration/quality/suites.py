"""One expectation suite per bronze dataset, declared as data.

Severity decides what a failure does:
- `error`: the data would break the grain or the KPI arithmetic downstream (schema or type drift,
  null or duplicate keys, impossible values such as an NPS of 11, enums the KPIs compute on,
  timestamps before 2000 or after the landing zone's newest record). Blocks the downstream assets.
- `warning`: implausible but possibly legitimate (an unknown vendor, a negative bill amount that
  may be a credit note, a gauge counter below zero). Shown in the UI; the run goes on.

Columns and types come from the parser registry (`orchestration.sources` SCHEMA plus the bronze
lineage columns), so a schema change in a parser changes the expected schema here too. A dataset
without a declared suite still gets the generic part (schema, types, lineage, row count).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

import polars as pl

Severity = Literal["error", "warning"]
ERROR: Severity = "error"
WARNING: Severity = "warning"

# Nothing the platform reads predates 2000 (3GPP PM XML, VES and TMF Open APIs are all younger).
EARLIEST_PLAUSIBLE = datetime(2000, 1, 1, tzinfo=UTC)
# A record may be this much newer than the newest record of every other source (a period end at
# midnight, a bill period ending 23:59:59) before it counts as "in the future".
FUTURE_TOLERANCE = timedelta(days=1)
LINEAGE_COLUMNS: dict[str, pl.DataType] = {"source_file": pl.String(), "source_record": pl.String()}

# Expectations the runner computes itself from the Parquet schema (GX sees pandas dtypes only).
SCHEMA_TYPES = "expect_column_types_to_match_schema"


@dataclass(frozen=True)
class Range:
    """`min <= column <= max` (either bound may be None); `only_when` restricts the rows checked
    to those whose column (first item) is in the values (second item)."""

    column: str
    min: float | None
    max: float | None
    severity: Severity
    only_when: tuple[str, tuple[Any, ...]] | None = None


@dataclass(frozen=True)
class Enum:
    """Column values in an allowed set (nulls pass: nullability is a separate expectation)."""

    column: str
    values: tuple[Any, ...]
    severity: Severity


@dataclass(frozen=True)
class Time:
    """A timestamp or date column: not before 2000 and (if `future`) not after the landing zone's
    newest record of the other sources plus FUTURE_TOLERANCE. Due dates set `future=False`."""

    column: str
    severity: Severity = ERROR
    future: bool = True


@dataclass(frozen=True)
class Order:
    """`later >= earlier` row by row (nulls pass), e.g. a resolution after its creation."""

    later: str
    earlier: str
    severity: Severity = WARNING


@dataclass(frozen=True)
class Pattern:
    """Column values match a regular expression."""

    column: str
    regex: str
    severity: Severity = WARNING


@dataclass(frozen=True)
class DatasetSuite:
    """What a bronze dataset must satisfy.

    `key` is not null (error) and unique within one delivered file (error); across files it
    only warns, because bronze keeps every delivery of a resource (a corrected or repeated
    extract) and staging keeps the latest. `not_null` columns are errors when null; `should_have`
    columns only warn (real exports omit optional TMF fields).
    """

    dataset: str
    key: tuple[str, ...]
    not_null: tuple[str, ...] = ()
    should_have: tuple[str, ...] = ()
    unique: tuple[str, ...] = ()  # further single-column keys, checked as `key` is
    ranges: tuple[Range, ...] = ()
    enums: tuple[Enum, ...] = ()
    times: tuple[Time, ...] = ()
    orders: tuple[Order, ...] = ()
    patterns: tuple[Pattern, ...] = ()
    # A source every operator delivers: an empty dataset is worth a warning. Optional sources
    # (service orders, TMF events, other VES domains) may legitimately stay empty.
    required: bool = True


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


# --- enums (exact spellings of the source standards; staging normalises case) -----------------

ORDER_STATES = (  # TMF622 ProductOrderStateType (v4 and v5)
    "acknowledged", "rejected", "pending", "held", "inProgress", "cancelled", "completed",
    "failed", "partial", "assessingCancellation", "pendingCancellation", "draft",
)  # fmt: skip
ALARM_SEVERITIES = (  # VES 7.x faultFields.eventSeverity, plus X.733 perceived severities
    "CRITICAL", "MAJOR", "MINOR", "WARNING", "NORMAL", "INDETERMINATE", "CLEARED",
)  # fmt: skip
TICKET_STATUSES = (  # TMF621 TroubleTicketStatusType
    "submitted", "acknowledged", "inProgress", "pending", "held", "resolved", "closed",
    "rejected", "cancelled",
)  # fmt: skip
TICKET_SEVERITIES = ("Critical", "Major", "Minor", "Warning")
PRIORITIES = ("Critical", "High", "Medium", "Low")
BILL_STATES = ("new", "onHold", "inProgress", "sent", "partiallyPaid", "settled")  # TMF678
RESOURCE_TYPES = ("human", "system", "human+system")  # who did the task (TS 28.100 Table 5-1)
TASK_CATEGORIES = ("execution", "awareness", "analysis", "decision", "intent")
WORKFLOWS = ("fault_management", "order_fulfilment", "billing_dispute")
TECHNOLOGIES = ("GSM", "UMTS", "LTE", "NR")
VENDORS = ("Ericsson", "Nokia", "Huawei", "Samsung", "ZTE", "Mavenir", "Cisco", "NEC")
ORDER_ACTIONS = ("add", "modify", "delete", "noChange")
CUSTOMER_SEGMENTS = ("consumer", "smb", "enterprise")
CUSTOMER_STATUSES = ("initialized", "validated", "approved", "active", "terminated", "closed")
USAGE_TYPES = ("data", "voice", "sms", "mms")
SURVEY_CHANNELS = ("app", "sms", "email", "web", "phone", "ivr")
# Percentages in the simulator's PM files (3GPP TS 28.552 PRB usage, in % of available PRBs).
PRB_PERCENT_COUNTERS = ("RRU.PrbUsedDl", "RRU.PrbUsedUl", "RRU.PrbTotDl", "RRU.PrbTotUl")
CURRENCY = r"^[A-Z]{3}$"  # ISO 4217

SUITES: dict[str, DatasetSuite] = {
    s.dataset: s
    for s in (
        DatasetSuite(
            "pm_counters",
            key=("ne_id", "meas_obj_ldn", "counter", "period_end_utc"),
            not_null=("granularity_s", "suspect"),
            ranges=(
                Range("granularity_s", 60, 86_400, ERROR),  # 1 min .. 24 h reporting periods
                # Gauges (interference, temperature) may be negative in real files: a warning.
                Range("value", 0, None, WARNING),
                Range("value", 0, 100, WARNING, only_when=("counter", PRB_PERCENT_COUNTERS)),
            ),
            times=(Time("period_end_utc"),),
        ),
        DatasetSuite(
            "alarm_events",
            # VES: a clear may repeat its raise's eventId and start time; `sequence` differs.
            key=("event_id", "source_name", "event_time_utc", "sequence"),
            not_null=("severity", "is_clear"),
            enums=(Enum("severity", ALARM_SEVERITIES, ERROR),),
            times=(Time("event_time_utc"), Time("last_time_utc")),
            orders=(Order("last_time_utc", "event_time_utc"),),
        ),
        DatasetSuite(
            "inventory_cells",
            key=("cell_id",),
            not_null=("site_id", "meas_obj_ldn", "technology"),
            unique=("meas_obj_ldn",),
            ranges=(Range("latitude", -90, 90, ERROR), Range("longitude", -180, 180, ERROR)),
            enums=(Enum("technology", TECHNOLOGIES, WARNING), Enum("vendor", VENDORS, WARNING)),
            times=(Time("install_date", WARNING),),
        ),
        DatasetSuite(
            "customers",
            key=("customer_id",),
            not_null=("status",),
            should_have=("created_at",),
            enums=(
                Enum("segment", CUSTOMER_SEGMENTS, WARNING),
                Enum("status", CUSTOMER_STATUSES, WARNING),
            ),
            times=(Time("created_at", WARNING), Time("terminated_at")),
            orders=(Order("terminated_at", "created_at"),),
        ),
        DatasetSuite(
            "product_orders",
            key=("order_id",),
            not_null=("state", "creation_at"),
            ranges=(Range("item_count", 1, None, WARNING),),
            enums=(
                Enum("state", ORDER_STATES, ERROR),
                Enum("action", ORDER_ACTIONS, WARNING),
                Enum("priority", ("0", "1", "2", "3", "4", "5", "6", "7"), WARNING),
            ),
            times=(
                Time("creation_at"),
                Time("completion_at"),
                Time("requested_completion_at", future=False),
            ),
            orders=(Order("completion_at", "creation_at"),),
        ),
        DatasetSuite(
            "order_events",
            key=("event_id",),
            not_null=("order_id", "event_time_utc"),
            should_have=("state",),  # attribute-value-change events carry no state
            enums=(Enum("state", ORDER_STATES, ERROR),),
            times=(Time("event_time_utc"),),
        ),
        DatasetSuite(
            "trouble_tickets",
            key=("ticket_id",),
            not_null=("status", "creation_at"),
            enums=(
                Enum("status", TICKET_STATUSES, WARNING),
                Enum("severity", TICKET_SEVERITIES, WARNING),
                Enum("priority", PRIORITIES, WARNING),
            ),
            times=(Time("creation_at"), Time("resolution_at"), Time("last_update_at")),
            orders=(Order("resolution_at", "creation_at"),),
        ),
        DatasetSuite(
            "customer_bills",
            key=("bill_id",),
            not_null=("bill_date", "currency"),
            should_have=("customer_id",),
            ranges=(Range("amount_due", 0, None, WARNING),),  # < 0: a credit note
            enums=(Enum("state", BILL_STATES, WARNING),),
            times=(Time("bill_date"), Time("period_start"), Time("period_end")),
            orders=(
                Order("period_end", "period_start", ERROR),
                Order("tax_included_amount", "tax_excluded_amount"),
            ),
            patterns=(Pattern("currency", CURRENCY),),
        ),
        DatasetSuite(
            "billing_rates",
            key=("rate_id",),
            not_null=("amount", "currency"),
            should_have=("bill_id",),
            ranges=(Range("amount", 0, None, WARNING),),  # < 0: a discount or credit
            times=(Time("rate_date"),),
            patterns=(Pattern("currency", CURRENCY),),
        ),
        DatasetSuite(
            "usage",
            key=("usage_id",),
            not_null=("usage_date",),
            should_have=("customer_id", "serving_cell_id"),
            ranges=(
                Range("volume_mb", 0, None, ERROR),
                Range("duration_s", 0, None, ERROR),
                Range("duration_s", 0, 86_400 * 31, WARNING),  # a record spans at most a month
            ),
            enums=(Enum("usage_type", USAGE_TYPES, WARNING),),
            times=(Time("usage_date"),),
        ),
        DatasetSuite(
            "survey_responses",
            key=("response_id",),
            not_null=("response_date", "nps_score"),
            ranges=(Range("nps_score", 0, 10, ERROR), Range("csat_score", 1, 5, ERROR)),
            enums=(Enum("channel", SURVEY_CHANNELS, WARNING),),
            times=(Time("response_date"),),
        ),
        DatasetSuite(
            "process_events",
            key=("event_id",),
            not_null=("case_id", "activity", "event_time_utc"),
            # XES / OCEL logs name resources and activities only: dbt classifies them from the
            # reference tables (int_process_events_classified), so a null here only warns.
            should_have=("resource_type", "task_category"),
            enums=(
                Enum("resource_type", RESOURCE_TYPES, ERROR),
                Enum("task_category", TASK_CATEGORIES, ERROR),
                Enum("workflow", WORKFLOWS, WARNING),
            ),
            times=(Time("event_time_utc"),),
        ),
        DatasetSuite(
            "service_orders",
            key=("service_order_id",),
            not_null=("state", "creation_at"),
            enums=(Enum("state", ORDER_STATES, ERROR),),  # TMF641 uses TMF622's states
            times=(
                Time("creation_at"),
                Time("completion_at"),
                Time("requested_start_at", future=False),
                Time("requested_completion_at", future=False),
            ),
            orders=(Order("completion_at", "creation_at"),),
            required=False,
        ),
        DatasetSuite(
            "ves_events",
            key=("event_key",),
            not_null=("event_id", "domain", "event_time_utc"),
            # Heartbeats and other domains feed no KPI; the parser flags implausible times.
            times=(Time("event_time_utc", WARNING), Time("last_time_utc", WARNING)),
            orders=(Order("last_time_utc", "event_time_utc"),),
            required=False,
        ),
        DatasetSuite(
            "tmf_events",
            key=("event_id", "event_type", "event_time_utc"),
            not_null=("event_type", "event_time_utc"),
            times=(Time("event_time_utc"),),
            required=False,
        ),
    )
}


def suite_for(dataset: str) -> DatasetSuite:
    """The declared suite of a dataset, or the generic one (schema, types, lineage) otherwise."""
    return SUITES.get(dataset, DatasetSuite(dataset, key=(), required=False))


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


def expectation_specs(
    suite: DatasetSuite,
    schema: Mapping[str, pl.DataType],
    *,
    as_of: datetime | None = None,
) -> list[ExpectationSpec]:
    """Expand a suite into the expectations to run, for a dataset with bronze `schema`.

    `as_of` is the newest record time of the other sources (see `freshness.reference_times`);
    None leaves only the 2000 lower bound on times. Columns the suite names that are not in the
    schema are skipped here: the schema expectations already report them.
    """
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
    if suite.required:
        specs.append(
            ExpectationSpec(
                "expect_table_row_count_to_be_between", WARNING, kwargs={"min_value": 1}
            )
        )
    for column in dict.fromkeys((*suite.key, *suite.not_null)):
        if column in has:
            specs.append(ExpectationSpec("expect_column_values_to_not_be_null", ERROR, column))
    for column in suite.should_have:
        if column in has:
            specs.append(ExpectationSpec("expect_column_values_to_not_be_null", WARNING, column))
    key = [c for c in suite.key if c in has]
    if key:
        specs.append(
            ExpectationSpec(
                "expect_compound_columns_to_be_unique",
                ERROR,
                kwargs={"column_list": [*key, "source_file"]},
                note="within one delivered file",
            )
        )
    if len(key) == 1:
        specs.append(
            ExpectationSpec(
                "expect_column_values_to_be_unique", WARNING, key[0], note="across deliveries"
            )
        )
    elif key:
        specs.append(
            ExpectationSpec(
                "expect_compound_columns_to_be_unique",
                WARNING,
                kwargs={"column_list": key},
                note="across deliveries",
            )
        )
    for column in suite.unique:
        if column in has:
            specs.append(
                ExpectationSpec(
                    "expect_compound_columns_to_be_unique",
                    ERROR,
                    kwargs={"column_list": [column, "source_file"]},
                    note="within one delivered file",
                )
            )
            specs.append(
                ExpectationSpec(
                    "expect_column_values_to_be_unique", WARNING, column, note="across deliveries"
                )
            )
    for r in suite.ranges:
        if r.column in has:
            kwargs: dict[str, Any] = {"min_value": r.min, "max_value": r.max}
            note = f"{_fmt(r.min)}..{_fmt(r.max)}"
            if r.only_when is not None:
                kwargs["only_when"] = r.only_when
                note += f" when {r.only_when[0]} in {len(r.only_when[1])} values"
            specs.append(
                ExpectationSpec(
                    "expect_column_values_to_be_between", r.severity, r.column, kwargs, note
                )
            )
    for e in suite.enums:
        if e.column in has:
            specs.append(
                ExpectationSpec(
                    "expect_column_values_to_be_in_set",
                    e.severity,
                    e.column,
                    {"value_set": list(e.values)},
                )
            )
    for t in suite.times:
        if t.column in has:
            dtype = schema.get(t.column)
            upper = _bound(dtype, as_of + FUTURE_TOLERANCE) if (t.future and as_of) else None
            specs.append(
                ExpectationSpec(
                    "expect_column_values_to_be_between",
                    t.severity,
                    t.column,
                    {"min_value": _bound(dtype, EARLIEST_PLAUSIBLE), "max_value": upper},
                    "plausible time" if t.future else "after 2000",
                )
            )
    for o in suite.orders:
        if o.later in has and o.earlier in has:
            specs.append(
                ExpectationSpec(
                    "expect_column_pair_values_a_to_be_greater_than_b",
                    o.severity,
                    kwargs={"column_A": o.later, "column_B": o.earlier, "or_equal": True},
                )
            )
    for p in suite.patterns:
        if p.column in has:
            specs.append(
                ExpectationSpec(
                    "expect_column_values_to_match_regex", p.severity, p.column, {"regex": p.regex}
                )
            )
    return specs


def severity_counts(specs: Sequence[ExpectationSpec]) -> dict[str, int]:
    """How many expectations of each severity (for docs and the UI)."""
    counts = {ERROR: 0, WARNING: 0}
    for spec in specs:
        counts[spec.severity] += 1
    return counts
