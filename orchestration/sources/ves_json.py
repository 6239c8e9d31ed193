"""ONAP VES 5.x / 7.x JSON events -> alarm_events, pm_counters and ves_events.

Envelopes read: `{"event": {...}}`, `{"eventList": [...]}` (domains mixed), a bare array of
events (wrapped or not), a bare event (`{"commonEventHeader": ...}`), and line-delimited exports
(one JSON object per line, wrapping the event with extra keys). A record is one event, except
for perf3gpp and measurement events whose records are their counter values (pm_counters).

Where each event goes:
- `fault` (raise; severity NORMAL clears), and `stndDefined` 3GPP FaultSupervision alarm
  notifications (notifyNewAlarm / notifyChangedAlarm / notifyClearedAlarm) -> alarm_events;
- `perf3gpp` (the JSON image of a 32.435 file) and `measurement` / VES 5
  `measurementsForVfScaling` (cpu, nic, memory arrays, additionalMeasurements) -> pm_counters;
- heartbeat, notification, other stndDefined and the other VES domains -> ves_events;
- an unknown domain or a malformed event is rejected alone under alarm_events (the primary).

Times: `…EpochMicrosec` fields often hold milliseconds (or seconds), sometimes as strings: the
unit is decided from the magnitude, the raw value is kept, and a time outside 1990-2100 is kept
but flagged (`time_suspect`). `timeZoneOffset` (`UTC+05:30`, `UTC+05.30`, `+02:00`, missing) is
kept raw and in minutes. eventId is not unique across sources: a duplicate is an event with
the same (source, event name, id, start time, sequence) in the file.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import polars as pl

from orchestration.sources import ves_events
from orchestration.sources.json_input import (
    UnreadableFile,
    json_text,
    load_bytes,
    raw_json,
    truncated_json,
)
from orchestration.sources.pm_rows import PmRows
from orchestration.sources.result import ParseResult, Reject, file_rejected, truncate_raw
from orchestration.sources.timestamps import TS_DTYPE, RecordError, parse_iso_utc

FORMAT = "ves_json"
DATASET = "alarm_events"
DATASETS = ("alarm_events", "pm_counters", "ves_events")
SCHEMA: dict[str, pl.DataType] = {
    "event_id": pl.String(),
    "event_name": pl.String(),
    "source_name": pl.String(),
    "reporting_entity": pl.String(),
    "sequence": pl.Int64(),
    "alarm_condition": pl.String(),
    "specific_problem": pl.String(),
    "severity": pl.String(),
    "is_clear": pl.Boolean(),
    "event_time_utc": TS_DTYPE,
    "last_time_utc": TS_DTYPE,
    "alarm_interface": pl.String(),
    "cell_id": pl.String(),
    # Added columns (docs/data_contracts.md): never rename or retype the ones above.
    "domain": pl.String(),
    "alarm_id": pl.String(),
    "event_key": pl.String(),
    "event_time_raw": pl.String(),
    "time_suspect": pl.Boolean(),
    "time_zone_offset": pl.String(),
    "source_format": pl.String(),
}
SEVERITIES = ("CRITICAL", "MAJOR", "MINOR", "WARNING", "NORMAL", "INDETERMINATE", "CLEARED")
CLEAR_SEVERITIES = ("NORMAL", "CLEARED")
VES_DOMAINS = frozenset(
    {
        "fault",
        "heartbeat",
        "measurement",
        "measurementsforvfscaling",
        "mobileflow",
        "notification",
        "other",
        "perf3gpp",
        "pnfregistration",
        "sipsignaling",
        "statechange",
        "stnddefined",
        "syslog",
        "thresholdcrossingalert",
        "voicequality",
    }
)
ALARM_NOTIFICATIONS = (
    "notifynewalarm",
    "notifychangedalarm",
    "notifyclearedalarm",
    "notifychangedalarmgeneral",
)
DUPLICATE = "duplicate VES event (same source, event name, id, start time, sequence)"
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MIN_US, _MAX_US = 631_152_000_000_000, 4_102_444_800_000_000  # 1990 .. 2100
_TZ = re.compile(r"^(?:UTC|GMT)?\s*([+-])(\d{1,2})(?:[:.]?(\d{2}))?$", re.I)
_MEAS_SKIP = {
    "measurementinterval",
    "measurementfieldsversion",
    "measurementsforvfscalingversion",
    "valuesaresuspect",
    "additionalfields",
    "featureusagearray",
    "codecusagearray",
}


def day_of(rows: pl.DataFrame) -> pl.Series:
    """Bronze day partition: the UTC day of the event start."""
    return rows["event_time_utc"].dt.date()


def parse(path: Path) -> ParseResult:
    """The alarm_events share of one VES file (see parse_all); never raises on bad input."""
    return parse_all(path)[DATASET]


def parse_all(path: Path) -> dict[str, ParseResult]:
    """{dataset: ParseResult} for alarm_events, pm_counters and ves_events."""
    try:
        events = _events(load_bytes(path))
    except UnreadableFile as exc:
        return {DATASET: file_rejected(SCHEMA, str(exc))}
    alarms = _Rows(SCHEMA)
    others = _Rows(ves_events.SCHEMA)
    pm = PmRows()
    seen: set[tuple] = set()
    for ref, event in events:
        try:
            if isinstance(event, _BadLine):
                raise RecordError(event.reason)
            _route(ref, event, alarms, others, pm, seen)
        except RecordError as exc:
            alarms.reject(ref, str(exc), event)
        except (TypeError, ValueError, AttributeError, KeyError) as exc:
            alarms.reject(ref, f"malformed event: {type(exc).__name__}: {exc}", event)
    return {
        DATASET: alarms.result(),
        "pm_counters": pm.result(),
        ves_events.DATASET: others.result(),
    }


class _BadLine:
    def __init__(self, reason: str, raw: str) -> None:
        self.reason, self.raw = reason, raw


def _events(data: bytes) -> list[tuple[str, Any]]:
    """(record ref, event object) for every event of every envelope shape."""
    text = json_text(data)
    try:
        doc = json.loads(text)
    except (json.JSONDecodeError, RecursionError) as exc:
        lines = [(i, ln) for i, ln in enumerate(text.splitlines(), 1) if ln.strip()]
        if len(lines) < 2 or not _is_json_object(lines[0][1]):
            if isinstance(exc, json.JSONDecodeError) and truncated_json(text, exc):
                raise UnreadableFile(
                    f"not valid JSON: truncated document ({type(exc).__name__}: {exc})"
                ) from None
            raise UnreadableFile(f"not valid JSON: {type(exc).__name__}: {exc}") from None
        out: list[tuple[str, Any]] = []
        for i, ln in lines:  # line-delimited export: a bad line is rejected alone
            try:
                obj = json.loads(ln)
            except (json.JSONDecodeError, RecursionError) as e:
                out.append((f"line[{i}]", _BadLine(f"not valid JSON: {e}", ln)))
                continue
            out.extend(_unwrap(obj, f"line[{i}]"))
        return out
    return _unwrap(doc, "")


def _is_json_object(line: str) -> bool:
    try:
        return isinstance(json.loads(line), dict)
    except (json.JSONDecodeError, RecursionError):
        return False


def _unwrap(doc: Any, prefix: str) -> list[tuple[str, Any]]:
    sep = "/" if prefix else ""
    if isinstance(doc, list):
        out: list[tuple[str, Any]] = []
        for i, item in enumerate(doc):
            out.extend(_unwrap(item, f"{prefix}[{i}]"))
        return out
    if isinstance(doc, dict):
        if isinstance(doc.get("eventList"), list):
            return [
                (f"{prefix}{sep}eventList[{i}]", _inner(e)) for i, e in enumerate(doc["eventList"])
            ]
        if isinstance(doc.get("event"), dict):
            return [(f"{prefix}{sep}event", doc["event"])]
    return [(prefix or "event", doc)]


def _inner(item: Any) -> Any:
    return item["event"] if isinstance(item, dict) and isinstance(item.get("event"), dict) else item


class _Rows:
    def __init__(self, schema: dict[str, pl.DataType]) -> None:
        self.schema = schema
        self.cols: dict[str, list[Any]] = {k: [] for k in schema}
        self.refs: list[str] = []
        self.rejects: list[Reject] = []

    def add(self, ref: str, row: dict[str, Any]) -> None:
        for k in self.schema:
            self.cols[k].append(row.get(k))
        self.refs.append(ref)

    def reject(self, ref: str, reason: str, raw: Any) -> None:
        text = raw.raw if isinstance(raw, _BadLine) else raw_json(raw)
        self.rejects.append(Reject(ref, reason, truncate_raw(text)))

    def result(self) -> ParseResult:
        rows = pl.DataFrame(self.cols, schema=self.schema)
        return ParseResult(rows, self.rejects, rows.height + len(self.rejects), self.refs)


def _text(value: Any) -> str | None:
    if value is None or isinstance(value, dict | list):
        return None
    out = str(value).strip()
    return out or None


def epoch_us(value: Any, field_name: str) -> tuple[datetime, str, bool]:
    """An epoch in s, ms, us or ns (decided from the magnitude) -> (UTC time, raw, suspect)."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise RecordError(
            f"missing {field_name}" if value is None else f"unparseable {field_name} {value!r}"
        )
    raw = str(value).strip()
    try:
        number = float(raw)
    except ValueError:
        raise RecordError(f"unparseable {field_name} {value!r}") from None
    if number != number or number <= 0 or number >= 1e20:
        raise RecordError(f"unparseable {field_name} {value!r}")
    if number >= 1e17:
        us = number / 1000
    elif number >= 1e14:
        us = number
    elif number >= 1e11:
        us = number * 1000
    else:
        us = number * 1_000_000
    us_int = int(us)
    suspect = not _MIN_US <= us_int <= _MAX_US
    try:
        return _EPOCH + timedelta(microseconds=us_int), raw, suspect
    except OverflowError:
        raise RecordError(f"unparseable {field_name} {value!r}") from None


def tz_offset_min(value: Any) -> int | None:
    """`UTC+05:30`, `UTC+05.30`, `+02:00`, `UTC-5` -> minutes; None if missing or unreadable."""
    text = _text(value)
    if not text:
        return None
    if text.upper() in ("UTC", "GMT", "Z"):
        return 0
    m = _TZ.match(text.replace(" ", ""))
    if not m:
        return None
    sign, hh, mm = m.groups()
    minutes = int(hh) * 60 + int(mm or 0)
    return -minutes if sign == "-" else minutes


def _header(event: Any) -> tuple[dict[str, Any], str]:
    if not isinstance(event, dict):
        raise RecordError("event is not an object")
    header = event.get("commonEventHeader")
    if not isinstance(header, dict):
        raise RecordError("missing commonEventHeader")
    domain = _text(header.get("domain")) or ""
    if domain.lower() not in VES_DOMAINS:
        raise RecordError(f"unsupported VES domain {header.get('domain')!r}")
    return header, domain


def _sequence(header: dict[str, Any]) -> int | None:
    seq = header.get("sequence")
    if seq is None or isinstance(seq, int) and not isinstance(seq, bool):
        return seq
    try:
        return int(float(str(seq).strip()))
    except ValueError:
        raise RecordError(f"non-integer sequence {seq!r}") from None


def _common(header: dict[str, Any], domain: str) -> dict[str, Any]:
    event_id = _text(header.get("eventId"))
    if not event_id:
        raise RecordError("missing eventId")
    start, start_raw, s_suspect = epoch_us(header.get("startEpochMicrosec"), "startEpochMicrosec")
    if header.get("lastEpochMicrosec") is not None:
        last, _raw, l_suspect = epoch_us(header.get("lastEpochMicrosec"), "lastEpochMicrosec")
    else:
        last, l_suspect = start, False
    sequence = _sequence(header)
    name = _text(header.get("eventName"))
    source = _text(header.get("sourceName"))
    tz_raw = _text(header.get("timeZoneOffset"))
    return {
        "event_id": event_id,
        "event_name": name,
        "source_name": source,
        "reporting_entity": _text(header.get("reportingEntityName")),
        "sequence": sequence,
        "event_time_utc": start,
        "last_time_utc": last,
        "event_time_raw": start_raw,
        "time_suspect": s_suspect or l_suspect,
        "time_zone_offset": tz_raw,
        "time_zone_offset_min": tz_offset_min(tz_raw),
        "domain": domain,
        "event_key": "|".join(
            str(x)
            for x in (
                source,
                name,
                event_id,
                int((start - _EPOCH) / timedelta(microseconds=1)),
                sequence,
            )
        ),
        "ves_version": _text(header.get("vesEventListenerVersion") or header.get("version")),
    }


def _route(
    ref: str, event: Any, alarms: _Rows, others: _Rows, pm: PmRows, seen: set[tuple]
) -> None:
    header, domain = _header(event)
    d = domain.lower()
    common = _common(header, domain)
    if common["event_key"] in seen:
        raise RecordError(DUPLICATE)
    seen.add(common["event_key"])
    if d == "fault":
        alarms.add(ref, _fault_row(event, common))
    elif d == "stnddefined" and _is_alarm_notification(event):
        alarms.add(ref, _stnd_alarm_row(event, common))
    elif d == "perf3gpp":
        _perf3gpp(ref, event, header, common, pm)
    elif d in ("measurement", "measurementsforvfscaling"):
        _measurement(ref, event, header, common, pm)
    else:
        fields = next((v for k, v in event.items() if k != "commonEventHeader"), None)
        others.add(ref, {**common, "fields_json": raw_json(fields) if fields is not None else None})


def _fault_row(event: dict[str, Any], common: dict[str, Any]) -> dict[str, Any]:
    fault = event.get("faultFields")
    if not isinstance(fault, dict):
        raise RecordError("missing faultFields")
    severity = (_text(fault.get("eventSeverity")) or "").upper()
    if not severity:
        raise RecordError("missing eventSeverity")
    if severity not in SEVERITIES:
        raise RecordError(f"unknown eventSeverity {severity!r}")
    info = fault.get("alarmAdditionalInformation")
    cell_id = None
    if isinstance(info, dict):
        cell_id = _text(info.get("cellId"))
    elif isinstance(info, list):  # VES 5 style: [{"name": ..., "value": ...}]
        for item in info:
            if isinstance(item, dict) and _text(item.get("name")) == "cellId":
                cell_id = _text(item.get("value"))
    return {
        **common,
        "alarm_condition": _text(fault.get("alarmCondition")),
        "specific_problem": _text(fault.get("specificProblem")),
        "severity": severity,
        "is_clear": severity in CLEAR_SEVERITIES,
        "alarm_interface": _text(fault.get("alarmInterfaceA")),
        "cell_id": cell_id,
        "source_format": "ves-fault",
    }


def _stnd_data(event: dict[str, Any]) -> dict[str, Any]:
    fields = event.get("stndDefinedFields")
    data = fields.get("data") if isinstance(fields, dict) else None
    return data if isinstance(data, dict) else {}


def _is_alarm_notification(event: dict[str, Any]) -> bool:
    kind = (_text(_stnd_data(event).get("notificationType")) or "").lower()
    return kind in ALARM_NOTIFICATIONS


def _stnd_alarm_row(event: dict[str, Any], common: dict[str, Any]) -> dict[str, Any]:
    data = _stnd_data(event)
    kind = (_text(data.get("notificationType")) or "").lower()
    severity = (_text(data.get("perceivedSeverity")) or "").upper()
    if kind == "notifyclearedalarm":
        severity = severity or "CLEARED"
    if severity not in SEVERITIES:
        raise RecordError(f"unknown perceivedSeverity {severity!r}")
    row = {**common}
    raw_time = data.get("eventTime")
    if raw_time is not None:
        row["event_time_raw"] = str(raw_time)
        try:
            row["event_time_utc"] = parse_iso_utc(raw_time, "eventTime")
        except RecordError:  # keep the header's time, flag the bogus one
            row["time_suspect"] = True
    return {
        **row,
        "alarm_condition": _text(data.get("probableCause")),
        "specific_problem": _text(data.get("specificProblem")),
        "severity": severity,
        "is_clear": severity in CLEAR_SEVERITIES,
        "alarm_interface": _text(data.get("objectInstance") or data.get("href"))
        or _text(data.get("systemDN")),
        "alarm_id": _text(data.get("alarmId")),
        "cell_id": None,
        "source_format": "ves-stndDefined",
    }


# --- counters -> pm_counters --------------------------------------------------------------


def _gran(value: Any, common: dict[str, Any]) -> int | None:
    """Granularity seconds; an epoch written there instead -> the event's own span (or None)."""
    if value is None:
        return None
    try:
        number = float(str(value).strip())
    except ValueError:
        raise RecordError(f"unparseable granularityPeriod {value!r}") from None
    if number >= 1e8:  # an epoch, not seconds
        span = (common["last_time_utc"] - common["event_time_utc"]).total_seconds()
        return int(span) if span > 0 else None
    if number <= 0 or number != int(number):
        raise RecordError(f"unsupported granularityPeriod {value!r}")
    return int(number)


def _pm_info(
    pm: PmRows,
    common: dict[str, Any],
    ne: str,
    info_id: str | None,
    gran: int | None,
    ref_prefix: str,
    fmt: str,
) -> int:
    end = common["last_time_utc"]
    return pm.add_info(
        sender=common["reporting_entity"],
        ne=ne,
        info_id=info_id,
        gran_s=gran,
        end_us=int((end - _EPOCH) / timedelta(microseconds=1)),
        end_raw=str(common.get("last_raw") or common["event_time_raw"]),
        tz_assumed=False,
        dn_prefix=None,
        job_id=None,
        source_format=fmt,
        ref_prefix=ref_prefix,
    )


def _value_text(v: Any) -> str | None:
    if v is None:
        return None
    if isinstance(v, bool):
        return "1" if v else "0"
    if isinstance(v, dict | list):
        return raw_json(v)
    return str(v).strip()


def _perf3gpp(ref: str, event: dict, header: dict, common: dict, pm: PmRows) -> None:
    fields = event.get("perf3gppFields")
    mdc = fields.get("measDataCollection") if isinstance(fields, dict) else None
    if not isinstance(mdc, dict):
        raise RecordError("missing perf3gppFields.measDataCollection")
    common = {**common, "last_raw": header.get("lastEpochMicrosec")}
    gran = _gran(mdc.get("granularityPeriod"), common)
    ne = (
        _text(mdc.get("measuredEntityDn"))
        or _text(mdc.get("measuredEntityUserName"))
        or common["source_name"]
    )
    if not ne:
        raise RecordError("perf3gpp event without measuredEntityDn or sourceName")
    infos = mdc.get("measInfoList")
    if not isinstance(infos, list):
        raise RecordError("missing measDataCollection.measInfoList")
    for j, info in enumerate(infos):
        iref = f"{ref}/measInfoList[{j}]"
        if not isinstance(info, dict):
            pm.reject(iref, "measInfo is not an object", raw_json(info))
            continue
        mid = info.get("measInfoId")
        info_id = (
            _text(mid.get("sMeasInfoId") or mid.get("iMeasInfoId"))
            if isinstance(mid, dict)
            else _text(mid)
        )
        mt = info.get("measTypes")
        names = mt.get("sMeasTypesList") or mt.get("iMeasTypesList") if isinstance(mt, dict) else mt
        mvs = info.get("measValuesList") or []
        if not isinstance(names, list) or not names:
            for k, mv in enumerate(mvs):
                pm.reject(f"{iref}/measValuesList[{k}]", "measInfo without measTypes", raw_json(mv))
            continue
        names = [str(n).strip() for n in names]
        ids = pm.counter_ids_of(names)
        ps = [str(i) for i in range(1, len(names) + 1)]
        meta = _pm_info(pm, common, ne, info_id, gran, f"{iref}/measValuesList[", "ves-perf3gpp")
        for k, mv in enumerate(mvs):
            vref = f"{iref}/measValuesList[{k}]"
            obj = _text(mv.get("measObjInstId")) if isinstance(mv, dict) else None
            if not obj:
                pm.reject(vref, "measValue without measObjInstId", raw_json(mv))
                continue
            suspect = str(mv.get("suspectFlag", "false")).strip().lower() == "true"
            got: dict[str, str | None] = {}
            for r in mv.get("measResults") or []:
                p = _text(r.get("p")) if isinstance(r, dict) else None
                if p not in ps:
                    pm.reject(
                        f"{vref}/measResults[p={p}]",
                        f"measResult p={p!r} without measType",
                        raw_json(r),
                    )
                    continue
                if str(r.get("isNull", "false")).lower() == "true":
                    got[p] = "NIL"
                else:
                    got[p] = _value_text(
                        next((r[key] for key in ("sValue", "iValue", "rValue") if key in r), None)
                    )
            pm.add_value(meta, obj, suspect, k, ids, [got.get(p) for p in ps])


def _named_values(items: Any) -> dict[str, Any]:
    """A hashMap, or a VES 5 name/value array -> {name: value} (names trimmed)."""
    if isinstance(items, dict):
        return {str(k).strip(): v for k, v in items.items()}
    out: dict[str, Any] = {}
    if isinstance(items, list):
        for item in items:
            if isinstance(item, dict) and item.get("name") is not None:
                out.setdefault(str(item["name"]).strip(), item.get("value"))
    return out


def _measurement(ref: str, event: dict, header: dict, common: dict, pm: PmRows) -> None:
    fields = event.get("measurementFields") or event.get("measurementsForVfScalingFields")
    if not isinstance(fields, dict):
        raise RecordError("missing measurementFields")
    common = {**common, "last_raw": header.get("lastEpochMicrosec")}
    gran = _gran(fields.get("measurementInterval"), common)
    ne = common["source_name"]
    if not ne:
        raise RecordError("measurement event without sourceName")
    fmt = "ves-measurement"
    scalars: dict[str, Any] = {}
    for key, value in fields.items():
        lk = key.lower()
        if lk in _MEAS_SKIP:
            continue
        if key == "additionalMeasurements" and isinstance(value, list):
            meta = _pm_info(pm, common, ne, key, gran, f"{ref}/{key}[", fmt)
            for k, group in enumerate(value):
                if not isinstance(group, dict) or not _text(group.get("name")):
                    pm.reject(
                        f"{ref}/{key}[{k}]", "measurement group without name", raw_json(group)
                    )
                    continue
                named = _named_values(group.get("hashMap") or group.get("arrayOfFields"))
                if named:
                    pm.add_value(
                        meta,
                        _text(group["name"]),
                        False,
                        k,
                        pm.counter_ids_of(list(named)),
                        [_value_text(v) for v in named.values()],
                    )
        elif isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
            meta = _pm_info(pm, common, ne, key, gran, f"{ref}/{key}[", fmt)
            for k, item in enumerate(value):
                ident_key = next((f for f in item if f.lower().endswith("identifier")), None)
                obj = _text(item.get(ident_key)) if ident_key else None
                if not obj:
                    pm.reject(f"{ref}/{key}[{k}]", f"{key} item without identifier", raw_json(item))
                    continue
                suspect = str(item.get("valuesAreSuspect", "false")).strip().lower() == "true"
                named = {
                    str(f).strip(): v
                    for f, v in item.items()
                    if f != ident_key
                    and f.lower() != "valuesaresuspect"
                    and not isinstance(v, dict | list)
                }
                if named:
                    pm.add_value(
                        meta,
                        obj,
                        suspect,
                        k,
                        pm.counter_ids_of(list(named)),
                        [_value_text(v) for v in named.values()],
                    )
        elif isinstance(value, int | float | str) and not isinstance(value, bool):
            scalars[key.strip()] = value
    if scalars:
        meta = _pm_info(pm, common, ne, "measurementFields", gran, f"{ref}/measurementFields[", fmt)
        pm.add_value(
            meta,
            ne,
            False,
            0,
            pm.counter_ids_of(list(scalars)),
            [_value_text(v) for v in scalars.values()],
        )
