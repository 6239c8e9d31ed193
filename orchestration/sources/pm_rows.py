"""Columnar builder of `pm_counters` rows, shared by the PM XML parser and the VES JSON parser.

Grain: one row per (network element, measured object, counter, period). A record (for
`rows_in`) is one counter value. Callers register one *measInfo* (the attributes shared by its
values: sender, NE, period, ...) and then its measValues (object, suspect flag, counter ids and
raw value strings); per-value work is list extends only, all typing happens once in Polars.

Value rules (3GPP TS 32.435 measResultType, and what vendors write besides):
- a number (`12`, `-3.5`, `1.2E3`) -> `value`;
- `NIL`, empty, `...` or a missing `r` -> `value` null (kept as `value_raw`, null for missing);
- a comma list of bins (PDF counters, `86,87,2`) -> `value` null, `value_list` the numbers, one
  element per bin, a blank bin null (`, , ,` from a counter with no samples: all bins null);
- anything else (`abc`) -> the value is quarantined with "non-numeric value '<raw>'".
A value whose key (ne_id, meas_obj_ldn, counter, period_end_utc) was already seen in the file
(a repeated measData block, a measInfoId sent twice for a period) is quarantined as a duplicate.
"""

from __future__ import annotations

import os
import re
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import numpy as np
import polars as pl

from orchestration.sources.result import ParseResult, Reject, truncate_raw
from orchestration.sources.timestamps import TS_DTYPE, RecordError

DATASET = "pm_counters"
SCHEMA: dict[str, pl.DataType] = {
    "file_sender": pl.String(),
    "ne_id": pl.String(),
    "meas_info_id": pl.String(),
    "meas_obj_ldn": pl.String(),
    "counter": pl.String(),
    "granularity_s": pl.Int32(),
    "period_end_utc": TS_DTYPE,
    "period_end_raw": pl.String(),
    "value_raw": pl.String(),
    "value": pl.Float64(),
    "suspect": pl.Boolean(),
    # Added columns (see docs/data_contracts.md): never rename or retype the ones above.
    "value_list": pl.List(pl.Float64()),
    "time_zone_assumed": pl.Boolean(),
    "dn_prefix": pl.String(),
    "job_id": pl.String(),
    "source_format": pl.String(),
}
DEFAULT_TZ_ENV = "ITOT_DEFAULT_TZ"
NULL_TOKENS = ("NIL", "nil", "Nil", "", "...")
DUPLICATE = "duplicate counter value (same ne_id, meas_obj_ldn, counter, period_end)"
# A comma list of bins (PDF counters); an element may be blank (null bin), even all of them.
_LIST_RE = r"^\s*[-+0-9.eE]*(?:\s*,\s*[-+0-9.eE]*)+\s*$"
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_ONE_US = timedelta(microseconds=1)
_DURATION = re.compile(
    r"^P(?:(?P<d>\d+)D)?(?:T(?:(?P<h>\d+)H)?(?:(?P<m>\d+)M)?(?:(?P<s>\d+(?:\.\d+)?)S)?)?$"
)
# Legacy 32.401 DTD timestamps: YYYYMMDDhhmmss[.f][Z|+hhmm|+hh:mm]
_COMPACT = re.compile(
    r"^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\.\d+)?(Z|[+-]\d{2}:?\d{2}(?::?\d{2})?)?$"
)


def day_of(rows: pl.DataFrame) -> pl.Series:
    """Bronze day partition: the period's start day (end minus one second), UTC."""
    return (rows["period_end_utc"] - timedelta(seconds=1)).dt.date()


def parse_duration_s(text: str | None) -> int:
    """ISO 8601 duration (PT900S, PT15M, PT1H, P1D, PT0.25H ...) -> whole seconds.

    RecordError if it is not a duration or not a positive whole number of seconds.
    """
    m = _DURATION.match((text or "").strip())
    if not m or not any(m.groupdict().values()):
        raise RecordError(f"unparseable granPeriod duration {text!r}")
    g = m.groupdict()
    seconds = (
        int(g["d"] or 0) * 86400
        + int(g["h"] or 0) * 3600
        + int(g["m"] or 0) * 60
        + float(g["s"] or 0)
    )
    if seconds <= 0 or seconds != int(seconds):
        raise RecordError(f"unsupported granPeriod duration {text!r}")
    return int(seconds)


@lru_cache(maxsize=8)
def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise RecordError(f"invalid {DEFAULT_TZ_ENV} {name!r}") from None


@lru_cache(maxsize=65536)
def _pm_time(text: str, zone_name: str) -> tuple[int, bool]:
    s = text.strip()
    m = _COMPACT.match(s)
    if m:
        y, mo, d, h, mi, se, frac, off = m.groups()
        off = off or ""
        if off and off != "Z":
            digits = off[1:].replace(":", "")
            off = f"{off[0]}{digits[:2]}:{digits[2:4]}" + (f":{digits[4:6]}" if digits[4:] else "")
        s = f"{y}-{mo}-{d}T{h}:{mi}:{se}{frac or ''}{off}"
    try:
        dt = datetime.fromisoformat(s)
    except ValueError:
        raise RecordError(f"unparseable timestamp {text!r}") from None
    assumed = dt.tzinfo is None
    if assumed:
        dt = dt.replace(tzinfo=_zone(zone_name))
    return (dt - _EPOCH) // _ONE_US, assumed


def parse_pm_time(text: str | None, field_name: str = "granPeriod endTime") -> tuple[int, bool]:
    """A PM timestamp -> (epoch microseconds UTC, time_zone_assumed).

    Reads ISO 8601 with `Z`, `+hh:mm`, `+hhmm`, `-05:00:00`, fractions (nanoseconds truncated),
    the basic form `20200101T000000Z` and the legacy `YYYYMMDDhhmmss`. A time without a zone
    gets the configured default zone (ITOT_DEFAULT_TZ) and is flagged.
    """
    if not text or not text.strip():
        raise RecordError(f"missing {field_name}")
    zone_name = os.environ.get(DEFAULT_TZ_ENV, "UTC").strip() or "UTC"
    try:
        return _pm_time(text, zone_name)
    except RecordError as exc:
        raise RecordError(f"{exc} in {field_name}") from None


class PmRows:
    """Accumulates pm_counters rows of one file in plain lists; `result()` types them once."""

    def __init__(self) -> None:
        # one entry per measInfo (or VES measInfo / measurement group)
        self.meta: list[tuple] = []
        # one entry per measValue
        self.mv_meta: list[int] = []
        self.mv_obj: list[str] = []
        self.mv_suspect: list[bool] = []
        self.mv_pos: list[int] = []
        self.mv_count: list[int] = []
        # one entry per value
        self.counter_ids: list[int] = []
        self.values: list[str | None] = []
        self.rejects: list[Reject] = []
        self._counter_index: dict[str, int] = {}
        self.counter_names: list[str] = []
        self._mv_keys: dict[tuple, set[str]] = {}
        self.may_have_duplicates = False
        self.cache: dict[str, object] = {}  # per-file memo for the readers

    def counter_ids_of(self, names: list[str]) -> list[int]:
        """Stable small ints for counter names (few distinct names per file)."""
        out = []
        index = self._counter_index
        for name in names:
            cid = index.get(name)
            if cid is None:
                cid = index[name] = len(self.counter_names)
                self.counter_names.append(name)
            out.append(cid)
        if len(set(out)) != len(out):
            self.may_have_duplicates = True
        return out

    def add_info(
        self,
        *,
        sender: str | None,
        ne: str,
        info_id: str | None,
        gran_s: int | None,
        end_us: int,
        end_raw: str,
        tz_assumed: bool,
        dn_prefix: str | None,
        job_id: str | None,
        source_format: str,
        ref_prefix: str,
    ) -> int:
        """Register the shared attributes of a measInfo; returns its index for add_value."""
        self.meta.append(
            (
                sender,
                ne,
                info_id,
                gran_s,
                end_us,
                end_raw,
                tz_assumed,
                dn_prefix,
                job_id,
                source_format,
                ref_prefix,
            )
        )
        return len(self.meta) - 1

    def add_value(
        self, meta_i: int, obj: str, suspect: bool, pos: int, ids: list[int], values: list
    ) -> None:
        """One measValue: its counters (ids) and raw values, same length."""
        self.add_values(meta_i, [obj], [suspect], [pos], ids, values)

    def add_values(
        self,
        meta_i: int,
        objs: list[str],
        suspects: list[bool],
        positions: list[int],
        ids: list[int],
        values: list,
    ) -> None:
        """Several measValues of one measInfo with the same counters: `values` holds
        len(objs) * len(ids) raw values, measValue after measValue."""
        info = self.meta[meta_i]
        seen = self._mv_keys.setdefault((info[1], info[4]), set())
        if not seen.isdisjoint(objs) or len(set(objs)) != len(objs):
            self.may_have_duplicates = True
        seen.update(objs)
        n_mv = len(objs)
        self.mv_meta.extend([meta_i] * n_mv)
        self.mv_obj.extend(objs)
        self.mv_suspect.extend(suspects)
        self.mv_pos.extend(positions)
        self.mv_count.extend([len(ids)] * n_mv)
        self.counter_ids.extend(ids * n_mv)
        self.values.extend(values)

    def reject(self, ref: str, reason: str, raw: str = "") -> None:
        self.rejects.append(Reject(ref, reason, truncate_raw(raw)))

    def result(self) -> ParseResult:
        """Typed rows (exactly SCHEMA), rejects, rows_in and record refs."""
        meta_schema = {
            "file_sender": pl.String(),
            "ne_id": pl.String(),
            "meas_info_id": pl.String(),
            "granularity_s": pl.Int32(),
            "period_end_utc": pl.Int64(),
            "period_end_raw": pl.String(),
            "time_zone_assumed": pl.Boolean(),
            "dn_prefix": pl.String(),
            "job_id": pl.String(),
            "source_format": pl.String(),
            "_ref": pl.String(),
        }
        meta = pl.DataFrame(self.meta, schema=meta_schema, orient="row")
        mv_idx = np.asarray(self.mv_meta, dtype=np.int64)
        per_mv = meta[mv_idx].with_columns(
            pl.Series("meas_obj_ldn", self.mv_obj, dtype=pl.String()),
            pl.Series("suspect", self.mv_suspect, dtype=pl.Boolean()),
            pl.concat_str(
                [
                    pl.col("_ref"),
                    pl.Series(self.mv_pos, dtype=pl.Int64()).cast(pl.String),
                    pl.lit("]"),
                ]
            ).alias("_ref"),
        )
        rep = np.repeat(np.arange(len(self.mv_count), dtype=np.int64), self.mv_count)
        names = pl.Series("counter", self.counter_names, dtype=pl.String())
        frame = per_mv[rep].with_columns(
            names.gather(np.asarray(self.counter_ids, dtype=np.int64)).alias("counter"),
            pl.Series("value_raw", self.values, dtype=pl.String()).str.strip_chars(),
        )
        frame = frame.with_columns(
            pl.col("period_end_utc").cast(TS_DTYPE),
            value=pl.col("value_raw").cast(pl.Float64, strict=False),
        )
        has_list = frame.select(pl.col("value_raw").str.contains(",", literal=True).any()).item()
        if has_list:
            is_list = pl.col("value_raw").str.contains(_LIST_RE)
            frame = frame.with_columns(
                value_list=pl.when(is_list).then(
                    pl.col("value_raw")
                    .str.split(",")
                    .list.eval(pl.element().str.strip_chars().cast(pl.Float64, strict=False))
                ),
            )
        else:
            is_list = pl.lit(False)
            frame = frame.with_columns(value_list=pl.lit(None, dtype=pl.List(pl.Float64())))
        bad = (
            pl.col("value").is_null()
            & pl.col("value_raw").is_not_null()
            & ~pl.col("value_raw").is_in(NULL_TOKENS)
            & ~is_list
        )
        dup = (
            ~pl.struct("ne_id", "meas_obj_ldn", "counter", "period_end_utc").is_first_distinct()
            if self.may_have_duplicates
            else pl.lit(False)
        )
        frame = frame.with_columns(_bad=bad, _dup=dup)
        drop = pl.col("_bad") | pl.col("_dup")
        dropped = frame.filter(drop)
        rejects = list(self.rejects)
        if dropped.height:
            for ref, counter, raw, is_bad in dropped.select(
                "_ref", "counter", "value_raw", "_bad"
            ).iter_rows():
                reason = f"non-numeric value {raw!r}" if is_bad else DUPLICATE
                rejects.append(Reject(f"{ref}/{counter}", reason, truncate_raw(f"{counter}={raw}")))
            frame = frame.filter(~drop)
        return ParseResult(
            rows=frame.select(list(SCHEMA)),
            rejects=rejects,
            rows_in=frame.height + len(rejects),
            record_refs=frame["_ref"],
        )
