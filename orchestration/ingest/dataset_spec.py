"""What a valid record of each bronze dataset is: one table, read by ingest and by the checks.

Per dataset the spec says which columns a record must have (`required`), which real producers
leave out but should have (`expected`), and which values a column may hold (ranges, allowed
values, plausible times, column orders, patterns), each rule with a severity:

- `reject`: a record breaking it cannot be used (no id, no time, an impossible value). Ingest
  quarantines the record with the rule's reason (`orchestration.ingest.record_rules`); the
  expectation suite checks the same rule at ERROR (`orchestration.quality.suites`), where a
  failure means ingest let a broken record through: a bug, not a bad record.
- `warning`: implausible but possibly legitimate (an optional field left out, an unknown vendor,
  a credit note). The record loads; the suite's WARNING expectation counts the rows.

Missing `required` columns are rejects ("missing required field: <column>"); missing `expected`
columns are warnings; any other column is optional. Besides the per-record rules, the suite adds
whole-dataset ERROR checks no single record can break alone: the bronze schema and types,
lineage, and the key unique within one delivered file. `IngestRule` names the record rules that
need more than one row's columns (the inventory, the file's order of events, a period-scaled
bound): ingest runs them, the suite cannot.

Column names and types are the parsers' (`orchestration.sources` SCHEMA); a spec naming a column a
parser does not write is a test failure, and a dataset without a spec is one too.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

Severity = Literal["reject", "warning"]
REJECT: Severity = "reject"
WARNING: Severity = "warning"

# Nothing the platform reads predates 2000 (3GPP PM XML, VES and TMF Open APIs are all younger).
EARLIEST_PLAUSIBLE = datetime(2000, 1, 1, tzinfo=UTC)
# A record may be this much newer than "now" (ingest) or than the newest record of every other
# source (checks) before it counts as "in the future": a period end at midnight, a bill period
# ending 23:59:59 in another time zone.
FUTURE_TOLERANCE = timedelta(days=1)
MISSING_REQUIRED = "missing required field"


@dataclass(frozen=True)
class Range:
    """`min <= column <= max` (either bound may be None; nulls pass). `only_when` restricts the
    rows to those whose column (first item) is in the values (second item)."""

    column: str
    min: float | None
    max: float | None
    severity: Severity
    only_when: tuple[str, tuple[Any, ...]] | None = None
    reason: str | None = None  # quarantine reason prefix (reject rules)


@dataclass(frozen=True)
class Enum:
    """Column values in an allowed set (nulls pass: presence is `required`/`expected`)."""

    column: str
    values: tuple[Any, ...]
    severity: Severity
    reason: str | None = None


@dataclass(frozen=True)
class Time:
    """A timestamp or date: not before 2000 and (if `future`) not after now + FUTURE_TOLERANCE at
    ingest; the suite also compares it with the other sources' newest record (a warning). Due
    dates set `future=False`. `name` is the field as the source calls it (in the reason)."""

    column: str
    severity: Severity = REJECT
    future: bool = True
    name: str | None = None

    @property
    def future_reason(self) -> str:
        return f"{self.name or self.column} in the future"

    @property
    def floor_reason(self) -> str:
        return f"{self.name or self.column} before 2000-01-01"


@dataclass(frozen=True)
class Order:
    """`later >= earlier` row by row (nulls pass), e.g. a resolution after its creation."""

    later: str
    earlier: str
    severity: Severity = WARNING
    only_when: tuple[str, tuple[Any, ...]] | None = None
    reason: str | None = None


@dataclass(frozen=True)
class Pattern:
    """Column values match a regular expression (nulls pass)."""

    column: str
    regex: str
    severity: Severity = WARNING
    reason: str | None = None


@dataclass(frozen=True)
class IngestRule:
    """A record rule that needs more than the row's own columns; run at ingest only, by name
    (`orchestration.ingest.record_rules.INGEST_RULES`). `reasons` are its quarantine prefixes."""

    name: str
    reasons: tuple[str, ...]
    description: str


@dataclass(frozen=True)
class DatasetSpec:
    """What a record of one bronze dataset must and should carry, and which values it may hold.

    `key` identifies a record: unique within one delivered file (an ERROR check; across files it
    only warns, because bronze keeps every delivery and staging keeps the latest). Every key
    column is `required` unless listed in `expected` (VES `sequence`: producers leave it out).
    `duplicate_reason` set: a repeated key within a file is a record fault, quarantined at ingest
    (the first one is kept) with that reason, instead of a whole-dataset error.
    `delivered`: a source every operator delivers, so an empty dataset is worth a warning.
    """

    dataset: str
    key: tuple[str, ...]
    required: tuple[str, ...] = ()
    expected: tuple[str, ...] = ()
    unique: tuple[str, ...] = ()  # further single-column keys, checked as `key` is
    ranges: tuple[Range, ...] = ()
    enums: tuple[Enum, ...] = ()
    times: tuple[Time, ...] = ()
    orders: tuple[Order, ...] = ()
    patterns: tuple[Pattern, ...] = ()
    ingest_rules: tuple[IngestRule, ...] = ()
    duplicate_reason: str | None = None
    # columns shown as `name=value` after a reject reason (default: the rule's own column)
    detail: tuple[str, str] | None = None
    delivered: bool = True

    @property
    def required_columns(self) -> tuple[str, ...]:
        """Columns a record cannot load without: the key (less `expected` ones) and `required`."""
        return tuple(
            dict.fromkeys([*(c for c in self.key if c not in self.expected), *self.required])
        )

    @property
    def rules(self) -> tuple[Range | Enum | Time | Order | Pattern, ...]:
        """Every per-record rule, in a stable order."""
        return (*self.ranges, *self.enums, *self.times, *self.orders, *self.patterns)


def reason_of(rule: Range | Enum | Order | Pattern) -> str:
    """The quarantine reason prefix of a reject rule (a default built from the rule)."""
    if rule.reason:
        return rule.reason
    if isinstance(rule, Range):
        lo = "" if rule.min is None else f"{rule.min:g}"
        hi = "" if rule.max is None else f"{rule.max:g}"
        return f"{rule.column} outside {lo}..{hi}"
    if isinstance(rule, Enum):
        return f"{rule.column} not an allowed value"
    if isinstance(rule, Order):
        return f"{rule.later} before {rule.earlier}"
    return f"{rule.column} does not match {rule.regex}"


# --- allowed values (exact spellings of the source standards; staging normalises case) ---------

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
CURRENCY = r"^[A-Z]{3}$"  # ISO 4217

# --- PM counters (docs/landing_zone.md: the canonical counters) --------------------------------

COUNT_BOUND_PER_15MIN = 100_000.0  # RRC attempts, bearer releases: a cell serves far fewer
THROUGHPUT_BOUND_KBPS = 10_000_000.0  # 10 Gbit/s mean user throughput
COUNT_COUNTERS = ("RRC.ConnEstab.Att", "RRC.ConnEstab.Succ", "DRB.RelAbnormal", "DRB.RelNormal")
THROUGHPUT_COUNTERS = ("DRB.UEThpDl", "DRB.UEThpUl")
# 3GPP TS 28.552 PRB usage, in % of the available PRBs
PERCENT_COUNTERS = ("RRU.PrbUsedDl", "RRU.PrbUsedUl", "RRU.PrbTotDl", "RRU.PrbTotUl")
UNAVAIL_COUNTER = "CELL.UnavailTime"
# None may be negative (a VES measurement's gauges, e.g. a temperature, may: a warning only).
NON_NEGATIVE = (*COUNT_COUNTERS, *THROUGHPUT_COUNTERS, *PERCENT_COUNTERS, UNAVAIL_COUNTER)

# --- quarantine reasons (prefixes; the detail follows `: `) ------------------------------------

NEGATIVE_COUNTER = "negative counter value"
COUNTER_ABOVE_BOUND = "counter value above its physical bound"
PERCENT_ABOVE_100 = "percentage above 100"
UNAVAILABLE_OVER_PERIOD = "unavailable time longer than the period"
PM_UNKNOWN_CELL = "unknown cell: measObjLdn not in the inventory"
ALARM_UNKNOWN_CELL = "unknown cell: alarm cellId not in the inventory"
ORDER_EVENT_DUPLICATE = "duplicate order event (same eventId)"
OUT_OF_ORDER = "out-of-order state change"
COMPLETED_BEFORE_CREATED = "order completed before it was created"
USAGE_NEGATIVE = "negative usage volume or duration"
PROCESS_DUPLICATE = "duplicate process event (same event_id)"
PM_TIME = Time("period_end_utc", name="granPeriod endTime")
ALARM_TIME = Time("event_time_utc", name="alarm event time")
ORDER_EVENT_TIME = Time("event_time_utc", name="order eventTime")
PM_FUTURE, PM_BEFORE_FLOOR = PM_TIME.future_reason, PM_TIME.floor_reason
ALARM_FUTURE, ALARM_BEFORE_FLOOR = ALARM_TIME.future_reason, ALARM_TIME.floor_reason
ORDER_EVENT_FUTURE, ORDER_EVENT_BEFORE_FLOOR = (
    ORDER_EVENT_TIME.future_reason,
    ORDER_EVENT_TIME.floor_reason,
)

_UNKNOWN_CELL_DESCRIPTION = "the landing zone's inventory export does not list the cell"

SPECS: dict[str, DatasetSpec] = {
    s.dataset: s
    for s in (
        DatasetSpec(
            "pm_counters",
            key=("ne_id", "meas_obj_ldn", "counter", "period_end_utc"),
            required=("granularity_s", "suspect"),
            ranges=(
                Range("granularity_s", 60, 86_400, REJECT),  # 1 min .. 24 h reporting periods
                Range("value", 0, None, REJECT, ("counter", NON_NEGATIVE), reason=NEGATIVE_COUNTER),
                Range("value", None, 100, REJECT, ("counter", PERCENT_COUNTERS), PERCENT_ABOVE_100),
                Range(
                    "value",
                    None,
                    THROUGHPUT_BOUND_KBPS,
                    REJECT,
                    ("counter", THROUGHPUT_COUNTERS),
                    COUNTER_ABOVE_BOUND,
                ),
                # Gauges (interference, temperature) may be negative in real files.
                Range("value", 0, None, WARNING),
            ),
            times=(PM_TIME,),
            orders=(
                Order(
                    "granularity_s",
                    "value",
                    REJECT,
                    ("counter", (UNAVAIL_COUNTER,)),
                    UNAVAILABLE_OVER_PERIOD,
                ),
            ),
            ingest_rules=(
                IngestRule(
                    "pm_count_above_bound",
                    (COUNTER_ABOVE_BOUND,),
                    f"{', '.join(COUNT_COUNTERS)} above {COUNT_BOUND_PER_15MIN:,.0f} per 15 min "
                    "(scaled to the period)",
                ),
                IngestRule("pm_unknown_cell", (PM_UNKNOWN_CELL,), _UNKNOWN_CELL_DESCRIPTION),
            ),
            detail=("counter", "value_raw"),
        ),
        DatasetSpec(
            "alarm_events",
            # VES: a clear may repeat its raise's eventId and start time; `sequence` differs.
            key=("event_id", "source_name", "event_time_utc", "sequence"),
            required=("severity", "is_clear"),
            # Real VES producers leave out `sequence` and `reportingEntityName`.
            expected=("sequence", "reporting_entity"),
            enums=(Enum("severity", ALARM_SEVERITIES, REJECT),),
            times=(ALARM_TIME, Time("last_time_utc")),
            orders=(Order("last_time_utc", "event_time_utc"),),
            ingest_rules=(
                IngestRule("alarm_unknown_cell", (ALARM_UNKNOWN_CELL,), _UNKNOWN_CELL_DESCRIPTION),
            ),
        ),
        DatasetSpec(
            "inventory_cells",
            key=("cell_id",),
            required=("site_id", "meas_obj_ldn", "technology"),
            unique=("meas_obj_ldn",),
            ranges=(Range("latitude", -90, 90, REJECT), Range("longitude", -180, 180, REJECT)),
            enums=(Enum("technology", TECHNOLOGIES, WARNING), Enum("vendor", VENDORS, WARNING)),
            times=(Time("install_date", WARNING),),
        ),
        DatasetSpec(
            "customers",
            key=("customer_id",),
            required=("status",),
            expected=("created_at",),
            enums=(
                Enum("segment", CUSTOMER_SEGMENTS, WARNING),
                Enum("status", CUSTOMER_STATUSES, WARNING),
            ),
            times=(Time("created_at", WARNING), Time("terminated_at")),
            orders=(Order("terminated_at", "created_at"),),
        ),
        DatasetSpec(
            "product_orders",
            key=("order_id",),
            required=("state", "creation_at"),
            ranges=(Range("item_count", 1, None, WARNING),),
            enums=(
                Enum("state", ORDER_STATES, REJECT),
                Enum("action", ORDER_ACTIONS, WARNING),
                Enum("priority", ("0", "1", "2", "3", "4", "5", "6", "7"), WARNING),
            ),
            times=(
                Time("creation_at"),
                Time("completion_at"),
                Time("requested_completion_at", future=False),
            ),
            orders=(
                Order("completion_at", "creation_at", REJECT, reason=COMPLETED_BEFORE_CREATED),
            ),
        ),
        DatasetSpec(
            "order_events",
            key=("event_id",),
            required=("order_id", "event_time_utc"),
            expected=("state",),  # attribute-value-change events carry no state
            enums=(Enum("state", ORDER_STATES, REJECT),),
            times=(ORDER_EVENT_TIME,),
            ingest_rules=(
                IngestRule(
                    "order_event_out_of_order",
                    (OUT_OF_ORDER,),
                    "per order in time order: a state after a final state, or back to a lower "
                    "rank (inProgress -> acknowledged)",
                ),
            ),
            duplicate_reason=ORDER_EVENT_DUPLICATE,
        ),
        DatasetSpec(
            "trouble_tickets",
            key=("ticket_id",),
            required=("status", "creation_at"),
            enums=(
                Enum("status", TICKET_STATUSES, WARNING),
                Enum("severity", TICKET_SEVERITIES, WARNING),
                Enum("priority", PRIORITIES, WARNING),
            ),
            times=(Time("creation_at"), Time("resolution_at"), Time("last_update_at")),
            orders=(Order("resolution_at", "creation_at"),),
        ),
        DatasetSpec(
            "customer_bills",
            key=("bill_id",),
            required=("bill_date", "currency"),
            expected=("customer_id",),
            ranges=(Range("amount_due", 0, None, WARNING),),  # < 0: a credit note
            enums=(Enum("state", BILL_STATES, WARNING),),
            times=(Time("bill_date"), Time("period_start"), Time("period_end")),
            orders=(
                Order("period_end", "period_start", REJECT),
                Order("tax_included_amount", "tax_excluded_amount"),
            ),
            patterns=(Pattern("currency", CURRENCY),),
        ),
        DatasetSpec(
            "billing_rates",
            key=("rate_id",),
            required=("amount", "currency"),
            expected=("bill_id",),
            ranges=(Range("amount", 0, None, WARNING),),  # < 0: a discount or credit
            times=(Time("rate_date"),),
            patterns=(Pattern("currency", CURRENCY),),
        ),
        DatasetSpec(
            "usage",
            key=("usage_id",),
            required=("usage_date",),
            expected=("customer_id", "serving_cell_id"),
            ranges=(
                Range("volume_mb", 0, None, REJECT, reason=USAGE_NEGATIVE),
                Range("duration_s", 0, None, REJECT, reason=USAGE_NEGATIVE),
                Range("duration_s", 0, 86_400 * 31, WARNING),  # a record spans at most a month
            ),
            enums=(Enum("usage_type", USAGE_TYPES, WARNING),),
            times=(Time("usage_date"),),
        ),
        DatasetSpec(
            "survey_responses",
            key=("response_id",),
            required=("response_date", "nps_score"),
            ranges=(Range("nps_score", 0, 10, REJECT), Range("csat_score", 1, 5, REJECT)),
            enums=(Enum("channel", SURVEY_CHANNELS, WARNING),),
            times=(Time("response_date"),),
        ),
        DatasetSpec(
            "process_events",
            key=("event_id",),
            required=("case_id", "activity", "event_time_utc"),
            # XES / OCEL logs name resources and activities only: dbt classifies them from the
            # reference tables (int_business__process_events_classified); the CSV log requires both.
            expected=("resource_type", "task_category"),
            enums=(
                Enum("resource_type", RESOURCE_TYPES, REJECT),
                Enum("task_category", TASK_CATEGORIES, REJECT),
                Enum("workflow", WORKFLOWS, WARNING),
            ),
            times=(Time("event_time_utc"),),
            duplicate_reason=PROCESS_DUPLICATE,
        ),
        DatasetSpec(
            "service_orders",
            key=("service_order_id",),
            required=("state", "creation_at"),
            # TMF641 uses TMF622's states; real servers add their own (ServiceNow: `new`), and
            # no KPI reads service orders yet: an unknown state loads and is counted.
            enums=(Enum("state", ORDER_STATES, WARNING),),
            times=(
                Time("creation_at"),
                Time("completion_at"),
                Time("requested_start_at", future=False),
                Time("requested_completion_at", future=False),
            ),
            orders=(Order("completion_at", "creation_at"),),
            delivered=False,
        ),
        DatasetSpec(
            "ves_events",
            key=("event_key",),
            required=("event_id", "domain", "event_time_utc"),
            expected=("reporting_entity",),
            # Heartbeats and other domains feed no KPI; the parser flags implausible times.
            times=(Time("event_time_utc", WARNING), Time("last_time_utc", WARNING)),
            orders=(Order("last_time_utc", "event_time_utc"),),
            delivered=False,
        ),
        DatasetSpec(
            "tmf_events",
            key=("event_id", "event_type", "event_time_utc"),
            required=("event_type", "event_time_utc"),
            times=(Time("event_time_utc"),),
            delivered=False,
        ),
    )
}


def spec_for(dataset: str) -> DatasetSpec:
    """The dataset's spec, or an empty one (schema, types and lineage are still checked)."""
    return SPECS.get(dataset, DatasetSpec(dataset, key=(), delivered=False))


def _rule_text(rule: Range | Enum | Time | Order | Pattern) -> str:
    when = (
        f" when {rule.only_when[0]} in {', '.join(rule.only_when[1])}"
        if getattr(rule, "only_when", None)
        else ""
    )
    if isinstance(rule, Range):
        lo = "" if rule.min is None else f"{rule.min:g}"
        hi = "" if rule.max is None else f"{rule.max:g}"
        return f"{lo}..{hi}{when}"
    if isinstance(rule, Enum):
        return "one of " + ", ".join(f"`{v}`" for v in rule.values)
    if isinstance(rule, Time):
        return "after 2000" + (", not after now + 1 day" if rule.future else "")
    if isinstance(rule, Order):
        return f">= `{rule.earlier}`{when}"
    return f"matches `{rule.regex}`"


def _rule_column(rule: Range | Enum | Time | Order | Pattern) -> str:
    return rule.later if isinstance(rule, Order) else rule.column


_SHORT_TYPES = {
    "String": "str", "Int32": "i32", "Int64": "i64", "Float64": "f64", "Boolean": "bool",
    "Date": "date",
}  # fmt: skip


def _short(dtype: Any) -> str:
    text = str(dtype)
    if text.startswith("Datetime"):
        return "ts"
    if text.startswith("List("):
        return f"list[{_short(text[5:-1])}]"
    return _SHORT_TYPES.get(text, text)


def spec_markdown(dataset: str, schema: dict[str, Any]) -> str:
    """The dataset's spec as a Markdown table (docs/data_contracts.md): one row per bronze
    column with its type, presence and rules; `schema` is the parser's SCHEMA."""
    spec = spec_for(dataset)
    required, expected = set(spec.required_columns), set(spec.expected)
    lines = [
        f"**{dataset}** (key: {', '.join(f'`{c}`' for c in spec.key) or 'none'})",
        "",
        "| column | type | presence | rules (severity) |",
        "|---|---|---|---|",
    ]
    for column, dtype in schema.items():
        presence = (
            "required" if column in required else "expected" if column in expected else "optional"
        )
        rules = [f"{_rule_text(r)} ({r.severity})" for r in spec.rules if _rule_column(r) == column]
        if column in spec.unique:
            rules.append("unique within a file (error)")
        lines.append(f"| `{column}` | {_short(dtype)} | {presence} | {'; '.join(rules)} |")
    for rule in spec.ingest_rules:
        lines.append(f"| *{rule.name}* | | | {rule.description} (reject) |")
    if spec.duplicate_reason:
        lines.append("| *key repeated in a file* | | | later copies quarantined (reject) |")
    return "\n".join(lines)


def all_spec_markdown() -> str:
    """Every bronze dataset's spec table, in the parser registry's order (the docs' block)."""
    from orchestration.sources import DATASETS, parser_for_dataset

    return "\n\n".join(spec_markdown(d, parser_for_dataset(d).SCHEMA) for d in DATASETS)


if __name__ == "__main__":  # `python -m orchestration.ingest.dataset_spec`: the docs' tables
    print(all_spec_markdown())
