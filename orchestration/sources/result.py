"""What every parser returns: typed rows, per-record rejects and the count of records seen.

Grain: one `ParseResult` per source file. `rows_in` counts the records the parser saw (a counter
value for PM, an event for VES, a resource for TMF, a data line for CSV), so that
`rows_in == rows.height + len(rejects)` always holds; the ingest ledger relies on it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import polars as pl

FILE_REF = "<file>"  # record_ref of a reject that stands for the whole file
RAW_MAX_CHARS = 2000  # quarantine keeps at most this much of a rejected record


@dataclass(frozen=True, slots=True)
class Reject:
    """One rejected record: where it is in the file, why, and (a prefix of) its raw text."""

    record_ref: str
    reason: str
    raw: str = ""


@dataclass(slots=True)
class ParseResult:
    """Rows (exactly the parser's SCHEMA), rejects, and the number of records seen.

    `record_refs` holds one locator per row (index, line number or XPath-like path), in row
    order; the bronze writer stores it as the lineage column `source_record`.
    """

    rows: pl.DataFrame
    rejects: list[Reject]
    rows_in: int
    record_refs: list[str] | pl.Series = field(default_factory=list)

    def __post_init__(self) -> None:
        # A broken count would silently break the ledger invariant: fail loudly instead
        # (the ingest layer turns the exception into a whole-file quarantine).
        if self.rows_in != self.rows.height + len(self.rejects):
            raise ValueError(
                f"rows_in {self.rows_in} != rows {self.rows.height} + rejects {len(self.rejects)}"
            )
        if len(self.record_refs) != self.rows.height:
            raise ValueError(f"{len(self.record_refs)} record_refs for {self.rows.height} rows")


def truncate_raw(raw: str) -> str:
    """Cut a raw record to what quarantine keeps."""
    return raw if len(raw) <= RAW_MAX_CHARS else raw[:RAW_MAX_CHARS]


def empty_rows(schema: dict[str, pl.DataType]) -> pl.DataFrame:
    """A zero-row frame with exactly `schema`."""
    return pl.DataFrame(schema=schema)


def file_rejected(schema: dict[str, pl.DataType], reason: str, raw: str = "") -> ParseResult:
    """The result for a file that cannot be read at all: one record seen, one reject."""
    return ParseResult(
        rows=empty_rows(schema),
        rejects=[Reject(FILE_REF, reason, truncate_raw(raw))],
        rows_in=1,
    )


def describe_error(exc: BaseException) -> str:
    """`ExcType: message`, on one line, for reject reasons."""
    msg = " ".join(str(exc).split())
    return f"{type(exc).__name__}: {msg}" if msg else type(exc).__name__
