"""What the CSV parsers share: read every column as a string, then cast column by column.

A data line is one record. A file with a line longer than 1 MiB is rejected whole (no export
writes such a line: it is a broken or hostile file, and reading it would cost memory for
nothing). A line that misses a required field or fails a cast (or a range
check) is rejected on its own, with its line number (header = line 1; a quoted field spanning
lines shifts later numbers) and the first problem found; the rest of the file loads.
"""

from __future__ import annotations

import gzip
import io
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import polars as pl

from orchestration.sources.result import ParseResult, Reject, describe_error, file_rejected
from orchestration.sources.timestamps import TS_DTYPE, iso_to_utc_expr

Kind = Literal["str", "float", "int", "date", "ts"]
MAX_LINE_BYTES = 1 << 20  # a CSV export line is a few hundred bytes; 1 MiB is not a record
HUGE_LINE = "line longer than 1 MiB (huge single line)"
_LINE = "__line"


@dataclass(frozen=True)
class Column:
    """One CSV column: header name, bronze name, type, whether required, an optional check.

    `check` maps the typed value (an expression) to a boolean that must be true (nulls
    pass); `check_text` completes the reject reason, e.g. "out of range 0-10".
    """

    source: str
    target: str
    kind: Kind = "str"
    required: bool = False
    check: Callable[[pl.Expr], pl.Expr] | None = None
    check_text: str = ""


def schema_of(columns: list[Column]) -> dict[str, pl.DataType]:
    """The bronze schema these columns produce, in order."""
    dtypes: dict[Kind, pl.DataType] = {
        "str": pl.String(),
        "float": pl.Float64(),
        "int": pl.Int32(),
        "date": pl.Date(),
        "ts": TS_DTYPE,
    }
    return {c.target: dtypes[c.kind] for c in columns}


def _cast(col: Column) -> pl.Expr:
    raw = pl.col(col.source)
    if col.kind == "float":
        return raw.cast(pl.Float64, strict=False)
    if col.kind == "int":
        return raw.cast(pl.Int32, strict=False)
    if col.kind == "date":
        return raw.str.to_date("%Y-%m-%d", strict=False)
    if col.kind == "ts":
        return iso_to_utc_expr(col.source)
    return raw


def parse_csv(path: Path, columns: list[Column]) -> ParseResult:
    """Parse a CSV file (UTF-8, header row, comma-separated) into `schema_of(columns)`."""
    schema = schema_of(columns)
    try:
        data = path.read_bytes()
        if data[:2] == b"\x1f\x8b":
            data = gzip.decompress(data)
        data.decode("utf-8-sig")  # polars would replace bad bytes silently in some modes
        if len(data) > MAX_LINE_BYTES and max(map(len, data.splitlines())) > MAX_LINE_BYTES:
            return file_rejected(schema, HUGE_LINE, data[:2000].decode("utf-8", "replace"))
        frame = pl.read_csv(io.BytesIO(data), infer_schema=False, encoding="utf8")
    except UnicodeDecodeError as exc:
        return file_rejected(schema, f"not UTF-8: {describe_error(exc)}")
    except (OSError, EOFError, pl.exceptions.PolarsError) as exc:
        return file_rejected(schema, f"unreadable CSV: {describe_error(exc)}")
    frame = frame.rename({c: c.lstrip("\ufeff").strip() for c in frame.columns})
    missing = [c.source for c in columns if c.source not in frame.columns]
    if missing:
        return file_rejected(schema, f"missing column(s) {', '.join(missing)}")

    sources = [c.source for c in columns]
    frame = frame.select(
        pl.col(sources).str.strip_chars().replace("", None),
        (pl.int_range(pl.len(), dtype=pl.Int64) + 2).alias(_LINE),
        # Raw line text for quarantine (as read, fields joined by commas).
        pl.concat_str([pl.col(c).fill_null("") for c in frame.columns], separator=",").alias(
            "__raw"
        ),
    )
    typed = frame.with_columns([_cast(c).alias(f"__t_{c.target}") for c in columns])
    problems: list[pl.Expr] = []
    for c in columns:
        raw = pl.col(c.source)
        val = pl.col(f"__t_{c.target}")
        if c.required:
            problems.append(pl.when(raw.is_null()).then(pl.lit(f"missing {c.source}")))
        if c.kind != "str":
            problems.append(
                pl.when(raw.is_not_null() & val.is_null()).then(
                    pl.format(f"unparseable {c.kind} '{{}}' in {c.source}", raw)
                )
            )
        if c.check is not None:
            problems.append(
                pl.when(val.is_not_null() & ~c.check(val)).then(
                    pl.format(f"{c.source} '{{}}' {c.check_text}", raw)
                )
            )
    typed = typed.with_columns(
        (pl.coalesce(problems) if problems else pl.lit(None, pl.String)).alias("__reason")
    )
    bad = typed.filter(pl.col("__reason").is_not_null())
    good = typed.filter(pl.col("__reason").is_null())
    rejects = [
        Reject(f"line {line}", reason, raw[:2000])
        for line, reason, raw in bad.select(_LINE, "__reason", "__raw").iter_rows()
    ]
    rows = good.select([pl.col(f"__t_{c.target}").alias(c.target) for c in columns])
    refs = [f"line {n}" for n in good[_LINE].to_list()]
    return ParseResult(rows=rows, rejects=rejects, rows_in=typed.height, record_refs=refs)
