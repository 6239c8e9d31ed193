"""IEEE 1849 XES event logs (plain or gzip), as ProM, Celonis and pm4py export them ->
`process_events`, one row per `<event>`.

A small streaming reader on lxml `iterparse` (DTD loading, entity resolution and network access
off; a DTD declaring entities rejects the file whole, `xml_safety`), holding one trace at a time.
Any XML error rejects the file whole, except an invalid namespace URI (see
TOLERATED_ERROR_DOMAINS). Per event:

- case: the trace's `concept:name` (else its `identity:id`); activity: the event's
  `concept:name`; time: `time:timestamp` (ISO 8601 with an offset, as UTC); resource:
  `org:resource`; lifecycle: `lifecycle:transition` (lower case: `start`, `complete`, …).
- event id: the event's `identity:id`, else `<case>#<n>` with n its position in the trace
  (1-based): the log order is the only identity an XES event has.
- workflow, resource_type, task_category: read when an event (or its trace) carries attributes
  of those names (an operator's own tool may); otherwise null, and dbt fills them from the
  editable reference tables `process_resource_types` and `process_activity_map`
  (docs/kpi_definitions.md, Autonomy).

Never invented: an event without `time:timestamp` (or with one lacking an offset) is quarantined
with that reason, so a log without any timestamp loads nothing; `<global>` default values are
declarations, never applied (their usual default time is 1970-01-01).
"""

from __future__ import annotations

import gzip
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

import polars as pl
from lxml import etree

from orchestration.sources import process_log_csv
from orchestration.sources.result import (
    ParseResult,
    Reject,
    file_rejected,
    truncate_raw,
)
from orchestration.sources.timestamps import RecordError, parse_iso_utc
from orchestration.sources.xml_safety import (
    GZIP_MAGIC,
    READ_ERRORS,
    SAFE_XML_OPTIONS,
    entity_problem,
    free,
    read_error_reason,
)

FORMAT = "xes"
DATASET = process_log_csv.DATASET
SCHEMA = process_log_csv.SCHEMA
day_of = process_log_csv.day_of
SOURCE_FORMAT = "xes"
NO_TIMESTAMP = "XES event without time:timestamp (a time is never invented)"
ATTRIBUTE_TAGS = frozenset({"string", "date", "int", "float", "boolean", "id"})
# Optional attributes an operator's tool may write, read as the CSV columns of the same name.
OWN_COLUMNS = ("workflow", "resource_type", "task_category")
# libxml2 calls a namespace URI with a line break in it (as the XES standard's own example log
# has) invalid; namespaces do not matter here (elements are read by local name), so that error
# alone is tolerated. Any other error (truncation, bad syntax) rejects the file whole.
TOLERATED_ERROR_DOMAINS = frozenset({"NAMESPACE"})


class _FileProblem(Exception):
    """The file as a whole is rejected; the message is the reason."""


def parse(path: Path) -> ParseResult:
    """Parse one XES file (plain or gzip); never raises on bad input."""
    rows = _Rows()
    try:
        with _open(path) as fh:
            for trace_i, trace in enumerate(_traces(fh), start=1):
                _trace_rows(trace, f"trace[{trace_i}]", rows)
    except READ_ERRORS as exc:
        return file_rejected(SCHEMA, read_error_reason(exc))
    except _FileProblem as exc:
        return file_rejected(SCHEMA, str(exc))
    return rows.result()


def _open(path: Path) -> IO[bytes]:
    with open(path, "rb") as probe:
        magic = probe.read(2)
    return gzip.open(path, "rb") if magic == GZIP_MAGIC else open(path, "rb")  # noqa: SIM115


def _local(tag: object) -> str:
    return tag[tag.rfind("}") + 1 :] if isinstance(tag, str) else ""


def _traces(fh: IO[bytes]) -> Iterator[tuple[dict[str, Any], list[dict[str, Any]]]]:
    """(trace attributes, [event attributes]) per trace, in file order; a trace's element is
    freed once read, so memory holds one trace."""
    context = etree.iterparse(
        fh,
        events=("start", "end"),
        **SAFE_XML_OPTIONS,
        recover=True,  # only for namespace errors: any other error rejects the file below
    )
    yield from _trace_elements(context)
    problems = [e for e in context.error_log if e.domain_name not in TOLERATED_ERROR_DOMAINS]
    if problems:
        first = problems[0]
        raise _FileProblem(f"not well-formed XML: {first.message} (line {first.line})")
    if context.root is None:
        raise _FileProblem("not well-formed XML: no root element")


def _trace_elements(
    context: etree.iterparse,
) -> Iterator[tuple[dict[str, Any], list[dict[str, Any]]]]:
    depth = 0
    for event, elem in context:
        if event == "start":
            depth += 1
            if depth == 1:
                _check_root(elem)
            continue
        depth -= 1
        if depth == 1 and _local(elem.tag) == "trace":
            yield (
                _attributes(elem),
                [_attributes(child) for child in elem if _local(child.tag) == "event"],
            )
            free(elem)
        elif depth == 1 and _local(elem.tag) == "event":
            raise _FileProblem("XES event outside a trace")


def _check_root(root: etree._Element) -> None:
    name = _local(root.tag)
    if name != "log":
        raise _FileProblem(f"not an XES log (root element {name!r})")
    problem = entity_problem(root)
    if problem:
        raise _FileProblem(problem)


def _attributes(elem: etree._Element) -> dict[str, Any]:
    """An element's own attributes (`<string key=… value=…/>` children) as {key: value}."""
    out: dict[str, Any] = {}
    for child in elem:
        if _local(child.tag) in ATTRIBUTE_TAGS and child.get("key") is not None:
            out.setdefault(child.get("key"), child.get("value"))
    return out


class _Rows:
    def __init__(self) -> None:
        self.cols: dict[str, list[Any]] = {name: [] for name in SCHEMA}
        self.refs: list[str] = []
        self.rejects: list[Reject] = []

    def add(self, ref: str, row: dict[str, Any]) -> None:
        for name in SCHEMA:
            self.cols[name].append(row.get(name))
        self.refs.append(ref)

    def reject(self, ref: str, reason: str, raw: dict[str, Any]) -> None:
        self.rejects.append(Reject(ref, reason, truncate_raw(repr(raw))))

    def result(self) -> ParseResult:
        frame = pl.DataFrame(self.cols, schema=SCHEMA)
        return ParseResult(frame, self.rejects, frame.height + len(self.rejects), self.refs)


def _text(value: Any) -> str | None:
    out = str(value).strip() if value is not None else ""
    return out or None


def _trace_rows(trace: tuple[dict[str, Any], list[dict[str, Any]]], ref: str, rows: _Rows) -> None:
    attrs, events = trace
    case_id = _text(attrs.get("concept:name")) or _text(attrs.get("identity:id"))
    for n, event in enumerate(events, start=1):
        event_ref = f"{ref}/event[{n}]"
        try:
            if case_id is None:
                raise RecordError("XES trace without concept:name (no case id)")
            rows.add(event_ref, _row(case_id, n, attrs, event))
        except RecordError as exc:
            rows.reject(event_ref, str(exc), {"trace": attrs, "event": event})


def _row(case_id: str, n: int, trace: dict[str, Any], event: dict[str, Any]) -> dict[str, Any]:
    activity = _text(event.get("concept:name"))
    if activity is None:
        raise RecordError("XES event without concept:name (no activity)")
    raw_time = event.get("time:timestamp")
    if _text(raw_time) is None:
        raise RecordError(NO_TIMESTAMP)
    lifecycle = _text(event.get("lifecycle:transition"))
    row = {
        "event_id": _text(event.get("identity:id")) or f"{case_id}#{n}",
        "case_id": case_id,
        "activity": activity,
        "event_time_utc": parse_iso_utc(raw_time, "time:timestamp"),
        "resource": _text(event.get("org:resource")),
        "lifecycle_transition": lifecycle.lower() if lifecycle else None,
        "source_format": SOURCE_FORMAT,
    }
    for name in OWN_COLUMNS:
        row[name] = _text(event.get(name)) or _text(trace.get(name))
    return row
