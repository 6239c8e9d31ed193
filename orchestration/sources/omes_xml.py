"""Nokia OMeS PM XML (the NetAct export format), into the same `pm_counters` bronze as 3GPP PM XML.

Layout (root `OMeS`, often gzip-compressed):

    <OMeS>
      <PMSetup startTime="2011-02-20T15:00:00.000-06:00:00" interval="60">   interval: minutes
        <PMMOResult>
          <MO dimension="network_element"><DN>PLMN-PLMN/RNC-1902/WBTS-201/WCEL-2015</DN></MO>
          <MO><DN>PLMN-PLMN/MCC-334/MNC-3</DN></MO>                          more MO: same object
          <PMTarget measurementType="Cell_Throughput">     or <NE-WBTS_1.0 measurementType=…>
            <M1017C11>1</M1017C11> …                       counters: child elements
          </PMTarget>
        </PMMOResult>
      </PMSetup>
    </OMeS>

Grain and columns (one row per counter value, as for 3GPP PM XML):
- `meas_obj_ldn`: the object, named by ALL its `MO` elements in document order, joined with
  `;` (a result may name its object by several DNs, e.g. a cell and a PLMN: the key is the whole
  list, never the first). An `MO` without `DN` is named by its other children (`baseId`,
  `localMoid`) joined with `/`.
- `ne_id`: the network element: the first MO's `baseId`, else its DN cut after the second level
  (`PLMN-PLMN/MRBTS-1281769`; the first level names the network).
- `meas_info_id`: the measurement element's `measurementType`; `counter`: the counter element's
  name (e.g. `M8000C29`); `granularity_s` = interval x 60; `period_end_utc` = startTime +
  interval; `period_end_raw` = `<startTime>/PT<interval>M` (ISO 8601 start/duration, as written);
  `suspect` false; `file_sender`, `dn_prefix`, `job_id` null; `source_format` `omes`.
- Values follow `pm_rows` (numbers, NIL/empty null, comma lists as bins, anything else
  quarantined); a counter repeated for the same object and period is quarantined as a duplicate.
A PMMOResult without an MO name, or a PMSetup with an unusable startTime or interval, rejects
each of its counter values with the reason. Hostile XML is refused as by the PM reader
(`xml_safety`): no DTD, no entities, no network.
"""

from __future__ import annotations

import io
from pathlib import Path

from lxml import etree

from orchestration.sources import pm_rows
from orchestration.sources.pm_rows import PmRows, parse_pm_time
from orchestration.sources.result import ParseResult, file_rejected
from orchestration.sources.timestamps import RecordError
from orchestration.sources.xml_safety import (
    READ_ERRORS,
    SAFE_XML_OPTIONS,
    entity_problem,
    free,
    read_error_reason,
    read_xml_bytes,
)

FORMAT = "nokia_omes"
DATASET = pm_rows.DATASET
SCHEMA = pm_rows.SCHEMA
day_of = pm_rows.day_of
ROOT_TAG = "OMeS"
SOURCE_FORMAT = "omes"
OBJECT_SEPARATOR = ";"
NO_OBJECT = "PMMOResult without MO DN"
__all__ = ["DATASET", "FORMAT", "ROOT_TAG", "SCHEMA", "day_of", "parse"]


class _FileProblem(Exception):
    """The file as a whole is rejected; the message is the reason."""


def parse(path: Path) -> ParseResult:
    """Parse one OMeS file; never raises on bad input."""
    rows = PmRows()
    try:
        _stream(io.BytesIO(read_xml_bytes(path)), rows)
    except READ_ERRORS as exc:
        return file_rejected(SCHEMA, read_error_reason(exc))
    except _FileProblem as exc:
        return file_rejected(SCHEMA, str(exc))
    return rows.result()


def _local(tag: object) -> str:
    return tag[tag.rfind("}") + 1 :] if isinstance(tag, str) else ""


def _stream(fh: io.BytesIO, rows: PmRows) -> None:
    context = etree.iterparse(
        fh,
        events=("start", "end"),
        tag=("{*}OMeS", "{*}PMSetup", "{*}PMMOResult"),
        **SAFE_XML_OPTIONS,
    )
    checked = False
    setup: tuple | str = "PMMOResult outside PMSetup"
    setup_i = result_i = 0
    for event, elem in context:
        if not checked:
            _check_root(elem.getroottree().getroot())
            checked = True
        local = _local(elem.tag)
        if local == "PMSetup":
            if event == "start":
                setup_i += 1
                result_i = 0
                setup = _setup(elem.get("startTime"), elem.get("interval"))
            else:
                free(elem)
        elif local == "PMMOResult" and event == "end":
            result_i += 1
            _result(elem, f"PMSetup[{setup_i}]/PMMOResult[{result_i}]", setup, rows)
            free(elem)
    if not checked:
        _check_root(context.root)


def _check_root(root: etree._Element | None) -> None:
    name = _local(root.tag) if root is not None else ""
    if name != ROOT_TAG:
        raise _FileProblem(f"not an OMeS file (root element {name!r})")
    problem = entity_problem(root)
    if problem:
        raise _FileProblem(problem)


def _setup(start: str | None, interval: str | None) -> tuple[int, int, bool, str] | str:
    """(granularity s, period end us, zone assumed, end raw) of a PMSetup, or the reason its
    values are rejected."""
    minutes = (interval or "").strip()
    if not minutes.isdigit() or int(minutes) <= 0:
        return f"unparseable PMSetup interval {interval!r} (minutes)"
    try:
        start_us, assumed = parse_pm_time(start, "PMSetup startTime")
    except RecordError as exc:
        return str(exc)
    gran_s = int(minutes) * 60
    return gran_s, start_us + gran_s * 1_000_000, assumed, f"{(start or '').strip()}/PT{minutes}M"


def _mo_name(mo: etree._Element) -> str:
    """One MO's name: its DN, else its other children's texts (baseId, localMoid) joined by /."""
    parts = []
    for child in mo:
        text = (child.text or "").strip()
        if _local(child.tag) == "DN":
            return text
        if text:
            parts.append(text)
    return "/".join(parts)


def _ne_of(mo: etree._Element, name: str) -> str:
    """The network element of the first MO: its baseId, else its DN up to the second level."""
    for child in mo:
        if _local(child.tag) == "baseId" and (child.text or "").strip():
            return child.text.strip()
    return "/".join(name.split("/")[:2])


def _result(elem: etree._Element, ref: str, setup: tuple | str, rows: PmRows) -> None:
    mos = [c for c in elem if _local(c.tag) == "MO"]
    names = [_mo_name(mo) for mo in mos]
    reason = setup if isinstance(setup, str) else None
    if reason is None and (not names or not all(names)):
        reason = NO_OBJECT
    obj = OBJECT_SEPARATOR.join(names)
    ne = _ne_of(mos[0], names[0]) if reason is None else ""
    k = 0
    for meas in elem:
        if _local(meas.tag) == "MO" or not isinstance(meas.tag, str):
            continue
        k += 1
        counters = [c for c in meas if isinstance(c.tag, str)]
        if not counters:
            continue
        meas_ref = f"{ref}/{_local(meas.tag)}[{k}]"
        counter_names = [_local(c.tag) for c in counters]
        values = [c.text or "" for c in counters]
        if reason is not None:
            for name, value in zip(counter_names, values, strict=True):
                rows.reject(f"{meas_ref}/{name}", reason, f"{name}={value}")
            continue
        gran_s, end_us, assumed, end_raw = setup
        meta_i = rows.add_info(
            sender=None,
            ne=ne,
            info_id=meas.get("measurementType") or None,
            gran_s=gran_s,
            end_us=end_us,
            end_raw=end_raw,
            tz_assumed=assumed,
            dn_prefix=None,
            job_id=None,
            source_format=SOURCE_FORMAT,
            ref_prefix=f"{ref}/{_local(meas.tag)}[",
        )
        rows.add_value(meta_i, obj, False, k, rows.counter_ids_of(counter_names), values)
