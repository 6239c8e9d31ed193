"""3GPP TS 32.435 `measCollecFile` XML (also gzip, and the 28.532 `measDataFile` variant).

Grain of the output: one row per (network element, measured object, counter, period), the
period being a measInfo's `granPeriod` (end time and duration, e.g. 900 s). Values are kept as
written (`value_raw`) and as float (`value`; null for `NIL`, empty or compound values such as
`86,87,2`). A record (for `rows_in`) is one counter value; a measValue that cannot be mapped to
counters (length mismatch, missing object, bad granPeriod, no managed element) is one reject.

Streams with lxml.etree.iterparse and frees each measInfo after use, so memory is bounded by the
largest measInfo, not the file. Values are collected in plain Python lists and turned into one
DataFrame at the end: no per-value DataFrame work.
"""

from __future__ import annotations

import gzip
import re
import zlib
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import IO

import numpy as np
import polars as pl
from lxml import etree

from orchestration.sources.result import (
    ParseResult,
    Reject,
    describe_error,
    file_rejected,
    truncate_raw,
)
from orchestration.sources.timestamps import TS_DTYPE, RecordError, parse_iso_utc

FORMAT = "3gpp_pm_xml"
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
}


def day_of(rows: pl.DataFrame) -> pl.Series:
    """Bronze day partition: the period's start day (end minus one second), UTC."""
    return (rows["period_end_utc"] - timedelta(seconds=1)).dt.date()


ROOT_TAGS = ("measCollecFile", "measDataFile")  # 32.435 and its 28.532 successor
GZIP_MAGIC = b"\x1f\x8b"
_DURATION = re.compile(
    r"^P(?:(?P<d>\d+)D)?(?:T(?:(?P<h>\d+)H)?(?:(?P<m>\d+)M)?(?:(?P<s>\d+(?:\.\d+)?)S)?)?$"
)
# A vector / PDF counter written as comma-separated numbers: kept raw, value null.
_COMPOUND = re.compile(r"^[-+0-9.eE]+(?:,[-+0-9.eE]*)+$")
_NULL_TOKENS = ("NIL", "nil", "")
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_ONE_US = timedelta(microseconds=1)
_LISTEN = ("{*}fileSender", "{*}managedElement", "{*}measEntity", "{*}measInfo", "{*}measData")


def parse_duration_s(text: str | None) -> int:
    """ISO 8601 duration (PT900S, PT15M, PT1H, P1D) -> whole seconds; RecordError if not one."""
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


_LOCAL_NAMES: dict[object, str] = {}


def _local(tag: object) -> str:
    """Local name of a tag ('{ns}measValue' -> 'measValue'), memoised: files reuse few tags."""
    name = _LOCAL_NAMES.get(tag)
    if name is None:
        # Comments and processing instructions have a non-string tag.
        name = tag[tag.rfind("}") + 1 :] if isinstance(tag, str) else ""
        if len(_LOCAL_NAMES) < 10_000:
            _LOCAL_NAMES[tag] = name
    return name


def _open(path: Path) -> IO[bytes]:
    fh = open(path, "rb")  # noqa: SIM115 - returned to the caller, closed there
    magic = fh.read(2)
    fh.seek(0)
    if magic == GZIP_MAGIC:
        return gzip.GzipFile(fileobj=fh, mode="rb")
    return fh


class _Collector:
    """Columnar buffers: per-measValue attributes once, per-value counter and raw text."""

    def __init__(self) -> None:
        self.mv_sender: list[str | None] = []
        self.mv_ne: list[str] = []
        self.mv_info: list[str | None] = []
        self.mv_obj: list[str] = []
        self.mv_gran: list[int] = []
        self.mv_end: list[int] = []  # epoch microseconds
        self.mv_end_raw: list[str] = []
        self.mv_suspect: list[bool] = []
        self.mv_ref: list[str] = []
        self.mv_count: list[int] = []
        self.counters: list[str] = []
        self.values: list[str] = []
        self.rejects: list[Reject] = []
        # Set when the same key can occur twice; otherwise the value-level check is skipped.
        self.may_have_duplicates = False


def parse(path: Path) -> ParseResult:
    """Parse one PM file; never raises on bad input."""
    col = _Collector()
    try:
        with _open(path) as fh:
            _stream(fh, col)
    except (etree.XMLSyntaxError, etree.ParseError) as exc:
        return file_rejected(SCHEMA, f"not well-formed XML: {describe_error(exc)}")
    except (OSError, EOFError, zlib.error) as exc:
        return file_rejected(SCHEMA, f"unreadable file: {describe_error(exc)}")
    except _NotPm as exc:
        return file_rejected(SCHEMA, str(exc))
    return _build(col)


class _NotPm(Exception):
    pass


def _stream(fh: IO[bytes], col: _Collector) -> None:
    context = etree.iterparse(
        fh,
        events=("end",),
        tag=_LISTEN,
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        remove_comments=True,
    )
    sender: str | None = None
    ne: str | None = None
    md_index = 0
    mi_index = 0
    root_checked = False
    for _event, elem in context:
        if not root_checked:
            _check_root(elem.getroottree().getroot())
            root_checked = True
        local = _local(elem.tag)
        if local == "measInfo":
            mi_index += 1
            _meas_info(elem, sender, ne, f"measData[{md_index + 1}]/measInfo[{mi_index}]", col)
            # Free what was parsed so far: memory stays bounded by one measInfo.
            elem.clear(keep_tail=False)
            parent = elem.getparent()
            if parent is not None:
                while elem.getprevious() is not None:
                    del parent[0]
        elif local in ("managedElement", "measEntity"):
            ne = elem.get("localDn")
        elif local == "measData":
            md_index += 1
            mi_index = 0
            ne = None
            elem.clear(keep_tail=False)
            parent = elem.getparent()
            if parent is not None:
                while elem.getprevious() is not None:
                    del parent[0]
        elif local == "fileSender":
            sender = elem.get("localDn") or elem.get("senderName")
    if not root_checked:
        _check_root(context.root)


def _check_root(root: etree._Element | None) -> None:
    name = _local(root.tag) if root is not None else ""
    if name not in ROOT_TAGS:
        raise _NotPm(f"not a measCollecFile (root element {name!r})")


def _meas_info(
    elem: etree._Element,
    sender: str | None,
    ne: str | None,
    ref: str,
    col: _Collector,
) -> None:
    names = _LOCAL_NAMES
    info_id = elem.get("measInfoId")
    types: list[str] | None = None
    p_types: dict[str, str] = {}
    gran: etree._Element | None = None
    mvs: list[etree._Element] = []
    for child in elem:
        local = names.get(child.tag) or _local(child.tag)
        if local == "measValue":
            mvs.append(child)
        elif local == "measTypes":
            types = (child.text or "").split()
        elif local == "measType":
            p_types[child.get("p", "")] = (child.text or "").strip()
        elif local == "granPeriod":
            gran = child

    # Problems that make every value of the measInfo unusable.
    problem: str | None = None
    gran_s = 0
    end_us = 0
    end_raw = ""
    if ne is None:
        problem = "measData without managedElement localDn"
    elif gran is None:
        problem = "measInfo without granPeriod"
    else:
        end_raw = gran.get("endTime") or ""
        try:
            gran_s = parse_duration_s(gran.get("duration"))
            end_us = _epoch_us(end_raw)
        except RecordError as exc:
            problem = str(exc)

    # One pass over the measValues: object, suspect flag, results or (p, text) pairs.
    parsed: list[tuple[str | None, bool, list[str] | None, list[tuple[str, str]]]] = []
    if problem is None:
        for mv in mvs:
            suspect = False
            results: list[str] | None = None
            r_pairs: list[tuple[str, str]] = []
            for c in mv:
                local = names.get(c.tag) or _local(c.tag)
                if local == "measResults":
                    results = (c.text or "").split()
                elif local == "r":
                    r_pairs.append((c.get("p", ""), (c.text or "").strip()))
                elif local == "suspect":
                    suspect = (c.text or "").strip().lower() == "true"
            if results is not None and types is not None and len(results) != len(types):
                # Quarantine the whole measInfo: when one measValue is misaligned, positions
                # are untrustworthy for the measInfo as a whole.
                problem = f"measTypes/measResults length mismatch ({len(types)} vs {len(results)})"
                break
            parsed.append((mv.get("measObjLdn"), suspect, results, r_pairs))
    if problem is not None:
        for k, mv in enumerate(mvs, 1):
            col.rejects.append(Reject(f"{ref}/measValue[{k}]", problem, _raw(mv)))
        return

    if types is not None and len(set(types)) != len(types):
        col.may_have_duplicates = True
    assert ne is not None
    for k, (obj, suspect, results, r_pairs) in enumerate(parsed, 1):
        mv_ref = f"{ref}/measValue[{k}]"
        if not obj:
            col.rejects.append(Reject(mv_ref, "measValue without measObjLdn", _raw(mvs[k - 1])))
            continue
        n = 0
        if results is not None:
            if types is None:
                col.rejects.append(
                    Reject(mv_ref, "measResults without measTypes", _raw(mvs[k - 1]))
                )
                continue
            col.counters.extend(types)
            col.values.extend(results)
            n = len(results)
        if r_pairs:
            n_r = 0
            for p, text in r_pairs:
                counter = p_types.get(p)
                if counter is None:
                    col.rejects.append(
                        Reject(f"{mv_ref}/r[@p={p}]", f"r p={p!r} without measType", text)
                    )
                    continue
                col.counters.append(counter)
                col.values.append(text)
                n_r += 1
            # More matched r than distinct measTypes: some p repeats.
            if n_r > len(p_types):
                col.may_have_duplicates = True
            n += n_r
        if n:
            col.mv_sender.append(sender)
            col.mv_ne.append(ne)
            col.mv_info.append(info_id)
            col.mv_obj.append(obj)
            col.mv_gran.append(gran_s)
            col.mv_end.append(end_us)
            col.mv_end_raw.append(end_raw)
            col.mv_suspect.append(suspect)
            col.mv_ref.append(mv_ref)
            col.mv_count.append(n)


_EPOCH_CACHE: dict[str, int] = {}


def _epoch_us(text: str) -> int:
    """granPeriod endTime -> microseconds since the epoch (UTC); few distinct values per file."""
    us = _EPOCH_CACHE.get(text)
    if us is None:
        dt = parse_iso_utc(text, "granPeriod endTime")
        us = (dt - _EPOCH) // _ONE_US
        if len(_EPOCH_CACHE) < 100_000:
            _EPOCH_CACHE[text] = us
    return us


def _raw(elem: etree._Element) -> str:
    try:
        return truncate_raw(etree.tostring(elem, encoding="unicode", with_tail=False))
    except (ValueError, TypeError):  # pragma: no cover - defensive
        return ""


def _build(col: _Collector) -> ParseResult:
    per_mv = pl.DataFrame(
        {
            "file_sender": col.mv_sender,
            "ne_id": col.mv_ne,
            "meas_info_id": col.mv_info,
            "meas_obj_ldn": col.mv_obj,
            "granularity_s": col.mv_gran,
            "period_end_utc": col.mv_end,
            "period_end_raw": col.mv_end_raw,
            "suspect": col.mv_suspect,
            "_ref": col.mv_ref,
        },
        schema={
            "file_sender": pl.String(),
            "ne_id": pl.String(),
            "meas_info_id": pl.String(),
            "meas_obj_ldn": pl.String(),
            "granularity_s": pl.Int32(),
            "period_end_utc": pl.Int64(),
            "period_end_raw": pl.String(),
            "suspect": pl.Boolean(),
            "_ref": pl.String(),
        },
    ).with_columns(pl.col("period_end_utc").cast(TS_DTYPE))
    # A measValue key seen twice means values can repeat (e.g. a re-sent measData block).
    if per_mv.select(
        pl.struct("ne_id", "meas_obj_ldn", "period_end_utc").is_duplicated().any()
    ).item():
        col.may_have_duplicates = True

    # Expand measValue attributes to one row per value (vectorised gather).
    idx = np.repeat(np.arange(len(col.mv_count), dtype=np.int64), col.mv_count)
    frame = per_mv[idx].with_columns(
        pl.Series("counter", col.counters, dtype=pl.String()),
        pl.Series("value_raw", col.values, dtype=pl.String()),
    )
    frame = frame.with_columns(value=pl.col("value_raw").cast(pl.Float64, strict=False))

    bad_value = (
        pl.col("value").is_null()
        & ~pl.col("value_raw").is_in(_NULL_TOKENS)
        & ~pl.col("value_raw").str.contains(_COMPOUND.pattern)
    )
    dup = (
        ~pl.struct("ne_id", "meas_obj_ldn", "counter", "period_end_utc").is_first_distinct()
        if col.may_have_duplicates
        else pl.lit(False)
    )
    frame = frame.with_columns(_bad=bad_value, _dup=dup)

    rejects = col.rejects
    drop = pl.col("_bad") | pl.col("_dup")
    bad = frame.filter(drop)
    if bad.height:
        for ref, counter, raw, is_bad in bad.select(
            "_ref", "counter", "value_raw", "_bad"
        ).iter_rows():
            reason = (
                f"non-numeric value {raw!r}"
                if is_bad
                else "duplicate counter value (same ne_id, meas_obj_ldn, counter, period_end)"
            )
            rejects.append(Reject(f"{ref}/{counter}", reason, truncate_raw(f"{counter}={raw}")))
        frame = frame.filter(~drop)
    return ParseResult(
        rows=frame.select(list(SCHEMA)),
        rejects=rejects,
        rows_in=frame.height + len(rejects),
        record_refs=frame["_ref"],
    )
