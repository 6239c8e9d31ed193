"""Timestamp parsing shared by the parsers: ISO 8601 with an explicit offset -> UTC.

A timestamp without an offset is ambiguous (which time zone?), so it is rejected rather than
guessed; every source format the platform reads carries `Z` or `+hh:mm`.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import polars as pl

TS_DTYPE = pl.Datetime("us", "UTC")
ISO_FORMAT = "%Y-%m-%dT%H:%M:%S%.f%:z"


class RecordError(ValueError):
    """A record-level problem; its message is the reject reason."""


def parse_iso_utc(value: object, field_name: str | None = None) -> datetime:
    """Parse an ISO 8601 timestamp with offset (`Z`, `+hh:mm`, fractions) to an aware UTC datetime.

    Raises RecordError with a reason like "unparseable timestamp 'xyz'".
    """
    label = f" in {field_name}" if field_name else ""
    if not isinstance(value, str):
        raise RecordError(f"unparseable timestamp {value!r}{label}")
    text = value.strip()
    try:
        # fromisoformat (3.11) reads Z, offsets and 1-9 fraction digits (truncated to us).
        parsed = datetime.fromisoformat(text)
    except ValueError:
        raise RecordError(f"unparseable timestamp {value!r}{label}") from None
    if parsed.tzinfo is None:
        raise RecordError(f"timestamp without offset {value!r}{label}")
    return parsed.astimezone(UTC)


def parse_date(value: object, field_name: str | None = None) -> date:
    """A calendar date from `YYYY-MM-DD` or from the date part of an ISO timestamp (as written).

    For timestamps the local date as written is kept (a bill date is a business date, not an
    instant).
    """
    label = f" in {field_name}" if field_name else ""
    if not isinstance(value, str) or len(value.strip()) < 10:
        raise RecordError(f"unparseable date {value!r}{label}")
    try:
        return date.fromisoformat(value.strip()[:10])
    except ValueError:
        raise RecordError(f"unparseable date {value!r}{label}") from None


def iso_to_utc_expr(col: str) -> pl.Expr:
    """Vectorised ISO 8601 (with offset) -> Datetime(us, UTC); unparseable or naive -> null."""
    return (
        pl.col(col)
        .str.strip_chars()
        .str.replace(r"[zZ]$", "+00:00")
        .str.to_datetime(ISO_FORMAT, time_zone="UTC", time_unit="us", strict=False)
    )
