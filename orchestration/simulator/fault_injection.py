"""Damage an already generated landing zone in every way of the fault catalogue.

    from orchestration.simulator.fault_injection import inject_faults
    records = inject_faults(Path("zone"), seed=42)

Each fault of `fault_catalogue.CATALOGUE` gets a file of its own: a `record` fault adds damaged
records to a distinct clean file (never replacing a good record), a `file` fault writes a new
file `<folder>/fault_<id>_<name>.<ext>` (or a link / oddly named file). Nothing the truth counts
is removed or changed, so `truth.json` keeps its `kpis`; it gains `faults` (one entry per fault:
id, description, file, format, dataset, records_removed, status, reason) and `fault_injection`.

Deterministic: the same zone and seed give the same damaged zone (targets are drawn from a
random stream of the seed; gzip is written with mtime 0).
"""

from __future__ import annotations

import copy
import csv
import gzip
import io
import json
import os
import re
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np

from .fault_catalogue import BY_ID, CATALOGUE, Fault

RNG_STREAM = 7_919  # the injector's own random stream (seed, stream)


@dataclass(frozen=True)
class FaultRecord:
    """One injected fault, as truth.json lists it."""

    id: str
    name: str
    description: str
    file: str  # path relative to the landing zone
    format: str | None
    dataset: str | None
    kind: str
    records_removed: int
    status: str
    reason: str


class _Zone:
    """The landing zone being damaged: file pickers that never hand out a file twice."""

    def __init__(self, landing: Path, seed: int) -> None:
        self.root = landing
        self.rng = np.random.default_rng([seed, RNG_STREAM])
        self.used: set[Path] = set()
        truth = json.loads((landing / "truth.json").read_text(encoding="utf-8"))
        self.truth = truth
        self.start = datetime.fromisoformat(truth["period"]["start"].replace("Z", "+00:00"))
        self.days = int(truth["period"]["days"])

    def pick(self, pattern: str, where: Callable[[Path], bool] | None = None) -> Path:
        """A clean file matching `pattern` (glob under the zone) not used by another fault."""
        found = sorted(
            p
            for p in self.root.glob(pattern)
            if p.is_file()
            and not p.is_symlink()
            and p not in self.used
            and not p.name.startswith("fault_")
            and (where is None or where(p))
        )
        if not found:
            raise RuntimeError(f"no clean file left for {pattern}")
        path = found[int(self.rng.integers(len(found)))]
        self.used.add(path)
        return path

    def new(self, fault: Fault, folder: str, ext: str) -> Path:
        path = self.root / folder / f"fault_{fault.id}_{fault.name}.{ext}"
        path.parent.mkdir(parents=True, exist_ok=True)
        return path

    def day(self, lo: float = 0.2, hi: float = 0.8) -> datetime:
        """A whole hour inside the period (between fractions lo and hi of it)."""
        hours = int(self.rng.integers(int(self.days * 24 * lo), int(self.days * 24 * hi)))
        return self.start + timedelta(hours=hours)


def _iso(t: datetime) -> str:
    return t.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _dumps(obj: Any) -> str:
    return json.dumps(obj, separators=(",", ":"), ensure_ascii=False)


def _read_text(path: Path) -> str:
    data = path.read_bytes()
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    return data.decode("utf-8")


def _write_text(path: Path, text: str) -> None:
    data = text.encode("utf-8")
    if path.name.endswith(".gz"):
        data = gzip.compress(data, compresslevel=9, mtime=0)
    path.write_bytes(data)


def _append_json(path: Path, *records: Any) -> None:
    """Add records at the end of a JSON array file (a bare list or `{"eventList": [...]}`),
    leaving the other records' text as it is."""
    text = _read_text(path)
    end = text.rstrip().rfind("]")
    body = text[:end].rstrip()
    sep = "" if body.endswith("[") else ","
    added = ",\n".join(_dumps(r) for r in records)
    _write_text(path, f"{body}{sep}\n{added}\n{text[end:]}")


def _json_list(path: Path) -> list[Any]:
    doc = json.loads(_read_text(path))
    return doc["eventList"] if isinstance(doc, dict) else doc


def _append_line(path: Path, line: str) -> None:
    text = path.read_text(encoding="utf-8")
    path.write_text(text.rstrip("\n") + "\n" + line + "\n", encoding="utf-8")


# --- 3GPP PM XML -------------------------------------------------------------------------------

_NS = "http://www.3gpp.org/ftp/specs/archive/32_series/32.435#measCollec"
_ME = re.compile(r'<managedElement localDn="([^"]+)"\s*/>')
_LDN = re.compile(r'measObjLdn="([^"]+)"')
_END = re.compile(r'endTime="([^"]+)"')


def _pm_file(zone: _Zone) -> Path:
    """A clean PM day file in the measTypes/measResults layout."""
    return zone.pick("pm/*/*.xml*", _measurement_types_layout)


def _measurement_types_layout(path: Path) -> bool:
    opener = gzip.open if path.name.endswith(".gz") else open
    with opener(path, "rb") as fh:
        return b"<measTypes>" in fh.read(8192)


def _meas_info(
    end: str, types: str, values: list[tuple[str, str]], duration: str = "PT900S"
) -> str:
    rows = "".join(
        f'\n      <measValue measObjLdn="{ldn}"><measResults>{vals}</measResults></measValue>'
        for ldn, vals in values
    )
    return (
        f'    <measInfo measInfoId="FAULT">\n      <job jobId="1"/>\n'
        f'      <granPeriod duration="{duration}" endTime="{end}"/>\n'
        f'      <repPeriod duration="PT900S"/>\n      <measTypes>{types}</measTypes>{rows}\n'
        f"    </measInfo>\n"
    )


def _pm_add(zone: _Zone, build: Callable[[str, str, str, list[str]], str]) -> Path:
    """Add a measInfo to the last measData of a clean PM file. `build(ne, first_end, odd_end,
    ldns)` returns the block: `odd_end` is a period end at hh:07:30 of the file's first day (no
    clean period ends then, so its values are new keys); `ldns` the cells of that measData."""
    path = _pm_file(zone)
    text = _read_text(path)
    last = text.rindex("<measData>")
    close = text.rindex("</measData>")
    section = text[last:close]
    ne = _ME.search(section).group(1)
    ldns = sorted(set(_LDN.findall(section)))
    first_end = _END.search(section).group(1)
    odd_end = first_end[:11] + "05:07:30Z"
    block = build(ne, first_end, odd_end, ldns)
    _write_text(path, text[:close] + block + "  " + text[close:])
    return path


def _pm_value(
    counter: str,
    value: str,
    end: str | None = None,
    ldn: str | None = None,
    duration: str = "PT900S",
) -> Callable[[str, str, str, list[str]], str]:
    def build(ne: str, first_end: str, odd_end: str, ldns: list[str]) -> str:
        return _meas_info(end or odd_end, counter, [(ldn or ldns[0], value)], duration)

    return build


def _pm_minimal(
    zone: _Zone,
    declaration: str = '<?xml version="1.0" encoding="UTF-8"?>',
    doctype: str = "",
    sender: str = "OSS-FAULT",
) -> str:
    """A small, otherwise valid PM document with one counter value of a known cell."""
    ldn = sorted(set(_LDN.findall(_read_text(sorted(zone.root.glob("pm/*/*.xml*"))[0]))))[0]
    ne = ldn.split(",")[0].split("=")[1]
    end = _iso(zone.day())
    return (
        f'{declaration}\n{doctype}<measCollecFile xmlns="{_NS}">\n'
        f'  <fileHeader fileFormatVersion="32.435 V10.0" vendorName="Ericsson">\n'
        f'    <fileSender localDn="{sender}" elementType="OSS"/>\n'
        f'    <measCollec beginTime="{end}"/>\n  </fileHeader>\n'
        f'  <measData>\n    <managedElement localDn="{ne}"/>\n'
        + _meas_info(end, "RRC.ConnEstab.Att", [(ldn, "42")])
        + "  </measData>\n</measCollecFile>\n"
    )


def _f01(zone: _Zone, f: Fault) -> Path:
    src = zone.pick("pm/*/*.xml")  # an uncompressed day file
    data = src.read_bytes()
    zone.used.discard(src)  # only copied: the clean file stays usable
    cut = data.index(b"<measValue", len(data) // 2) + 30
    out = zone.new(f, src.parent.relative_to(zone.root).as_posix(), "xml")
    out.write_bytes(data[:cut])
    return out


def _f02(zone: _Zone, f: Fault) -> Path:
    src = zone.pick("pm/*/*.xml.gz")
    zone.used.discard(src)
    data = src.read_bytes()
    out = zone.new(f, src.parent.relative_to(zone.root).as_posix(), "xml.gz")
    out.write_bytes(data[: len(data) * 2 // 3])
    return out


def _f03(zone: _Zone, f: Fault) -> Path:
    out = zone.new(f, "pm", "xml")
    out.write_bytes(_pm_minimal(zone, sender="OSS-Zürich").encode("latin-1"))
    return out


def _f04(zone: _Zone, f: Fault) -> Path:
    lol = '<!ENTITY lol "lol">\n' + "".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">\n'
        for i in range(1, 10)
    )
    doctype = f"<!DOCTYPE measCollecFile [\n{lol}]>\n"
    out = zone.new(f, "pm", "xml")
    out.write_text(_pm_minimal(zone, doctype=doctype, sender="&lol9;"), encoding="utf-8")
    return out


def _f05(zone: _Zone, f: Fault) -> Path:
    doctype = '<!DOCTYPE measCollecFile [\n<!ENTITY xxe SYSTEM "file:///etc/passwd">\n]>\n'
    out = zone.new(f, "pm", "xml")
    out.write_text(_pm_minimal(zone, doctype=doctype, sender="&xxe;"), encoding="utf-8")
    return out


def _f06(zone: _Zone, f: Fault) -> Path:
    out = zone.new(f, "pm", "xml")
    out.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<inventoryExport version="2.1">\n'
        '  <site id="SITE-0001"><cell id="CELL-000001"/></site>\n</inventoryExport>\n',
        encoding="utf-8",
    )
    return out


def _f07(zone: _Zone, f: Fault) -> Path:
    def build(ne: str, first_end: str, odd_end: str, ldns: list[str]) -> str:
        vals = [(ldn, "10 9 1") for ldn in (ldns * 3)[:3]]
        return _meas_info(odd_end, "RRC.ConnEstab.Att RRC.ConnEstab.Succ", vals)

    return _pm_add(zone, build)


def _f16(zone: _Zone, f: Fault) -> Path:
    def build(ne: str, first_end: str, odd_end: str, ldns: list[str]) -> str:
        return _meas_info(first_end, "RRC.ConnEstab.Att", [(ldns[0], "7")])

    return _pm_add(zone, build)


# --- VES ---------------------------------------------------------------------------------------


def _ves_add(zone: _Zone, change: Callable[[dict, _Zone], dict | None]) -> Path:
    """Add one event, made by `change` from a deep copy of the file's first event."""
    path = zone.pick("alarms/*.json")
    first = _json_list(path)[0]
    event = copy.deepcopy(first)
    header = event.get("commonEventHeader", {})
    if isinstance(header, dict) and "eventId" in header:
        header["eventId"] = f"fault{header['eventId']}"  # a new event, unless `change` says
    changed = change(event, zone)
    _append_json(path, changed if changed is not None else event)
    return path


def _epoch_us(t: datetime) -> int:
    return int(t.timestamp()) * 1_000_000


def _ves_time(t: datetime) -> Callable[[dict, _Zone], None]:
    def change(e: dict, zone: _Zone) -> None:
        e["commonEventHeader"]["startEpochMicrosec"] = _epoch_us(t)
        e["commonEventHeader"]["lastEpochMicrosec"] = _epoch_us(t)

    return change


def _ves_unknown_cell(e: dict, zone: _Zone) -> None:
    e["faultFields"]["alarmAdditionalInformation"] = {"cellId": "CELL-999999"}
    ldn = e["faultFields"].get("alarmInterfaceA", "")
    e["faultFields"]["alarmInterfaceA"] = re.sub(r"=\d+$", "=999", ldn)


def _ves_duplicate(zone: _Zone, f: Fault) -> Path:
    path = zone.pick("alarms/*.json")
    _append_json(path, _json_list(path)[0])
    return path


def _set(path: tuple[str, ...], value: Any) -> Callable[[dict, _Zone], None]:
    def change(e: dict, zone: _Zone) -> None:
        target = e
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value

    return change


# --- TMF ---------------------------------------------------------------------------------------


def _f25(zone: _Zone, f: Fault) -> Path:
    path = zone.pick("orders/tmf622_order_events_*.json")
    events = _json_list(path)
    _append_json(path, events[len(events) // 2])
    return path


def _f26(zone: _Zone, f: Fault) -> Path:
    path = zone.pick("orders/tmf622_order_events_*.json")
    events = _json_list(path)
    done = [e for e in events if e["event"]["productOrder"]["state"] == "completed"]
    last = done[int(zone.rng.integers(len(done)))]
    when = datetime.fromisoformat(last["eventTime"].replace("Z", "+00:00")) + timedelta(hours=1)
    event = copy.deepcopy(last)
    event["eventId"] = f"{last['eventId']}-F26"
    event["eventTime"] = _iso(when)
    event["event"]["productOrder"]["state"] = "inProgress"
    _append_json(path, event)
    return path


def _f27(zone: _Zone, f: Fault) -> Path:
    src = sorted(zone.root.glob("orders/tmf622_order_events_*.json"))[0]
    event = copy.deepcopy(_json_list(src)[0])
    event["eventId"] = "POE-F27"
    event["eventTime"] = "2099-01-01T00:00:00Z"
    event["event"]["productOrder"]["state"] = "completed"
    out = zone.new(f, "orders", "json")
    out.write_text(f"[\n{_dumps(event)}\n]\n", encoding="utf-8")
    return out


def _an_order(zone: _Zone) -> dict:
    orders = _json_list(zone.root / "orders" / "tmf622_product_orders.json")
    return copy.deepcopy(orders[0])


def _f28(zone: _Zone, f: Fault) -> Path:
    path = zone.pick("orders/tmf622_product_orders.json")
    order = _an_order(zone)
    created = zone.day()
    order.update(
        id="PO-F28",
        state="completed",
        creationDate=_iso(created),
        requestedCompletionDate=_iso(created + timedelta(days=2)),
        completionDate=_iso(created - timedelta(days=2)),
    )
    _append_json(path, order)
    return path


def _f29(zone: _Zone, f: Fault) -> Path:
    order = _an_order(zone)
    del order["id"]
    out = zone.new(f, "orders", "json")
    out.write_text(f"[\n{_dumps(order)}\n]\n", encoding="utf-8")
    return out


def _f30(zone: _Zone, f: Fault) -> Path:
    path = zone.pick("tickets/*.json")
    _append_json(path, {"id": "WIDGET-1", "@type": "Widget", "name": "not a ticket"})
    return path


def _f31(zone: _Zone, f: Fault) -> Path:
    data = (zone.root / "orders" / "tmf622_product_orders.json").read_bytes()
    cut = data.index(b'"creationDate"', len(data) * 3 // 5)
    out = zone.new(f, "orders", "json")
    out.write_bytes(data[:cut])
    return out


def _tickets(zone: _Zone, n: int) -> list[dict]:
    return copy.deepcopy(_json_list(sorted(zone.root.glob("tickets/*.json"))[0])[:n])


def _f32(zone: _Zone, f: Fault) -> Path:
    ticket = _tickets(zone, 1)[0]
    ticket["id"] = "TT-F32"
    ticket["creationDate"] = ticket["creationDate"].replace("Z", "")
    out = zone.new(f, "tickets", "json")
    out.write_text(f"[\n{_dumps(ticket)}\n]\n", encoding="utf-8")
    return out


def _f33(zone: _Zone, f: Fault) -> Path:
    body = "[\n" + ",\n".join(_dumps(t) for t in _tickets(zone, 3)) + "\n]\n"
    out = zone.new(f, "tickets", "json")
    out.write_bytes(b"\xff\xfe" + body.encode("utf-16-le"))  # UTF-16 LE with its BOM
    return out


def _f34(zone: _Zone, f: Fault) -> Path:
    customers = copy.deepcopy(_json_list(zone.root / "customers" / "tmf629_customers.json")[:2])
    for c, name in zip(customers, ("Jürgen Müller", "Hélène Dubois"), strict=False):
        c["id"] = f"{c['id']}-F34"
        c["name"] = name
    body = "[\n" + ",\n".join(_dumps(c) for c in customers) + "\n]\n"
    out = zone.new(f, "customers", "json")
    out.write_bytes(body.encode("latin-1", errors="replace"))
    return out


def _f35(zone: _Zone, f: Fault) -> Path:
    path = zone.pick("bills/tmf678_customer_bills_*.json")
    bill = copy.deepcopy(_json_list(path)[0])
    bill["id"] = "BILL-F35"
    bill["billNo"] = "F35"
    bill["amountDue"] = {"unit": "EUR", "value": "abc"}
    _append_json(path, bill)
    return path


def _f36(zone: _Zone, f: Fault) -> Path:
    path = zone.pick("usage/*.json")
    usage = copy.deepcopy(_json_list(path)[0])
    usage["id"] = f"{usage['id']}-F36"
    for item in usage.get("usageCharacteristic", []):
        if item.get("name") == "volumeMB":
            item["value"] = -512.0
    _append_json(path, usage)
    return path


# --- CSV ---------------------------------------------------------------------------------------


def _first_lines(path: Path, n: int) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()[:n]


def _csv_row(line: str) -> list[str]:
    return next(csv.reader(io.StringIO(line)))


def _csv_line(cols: list[str]) -> str:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="").writerow(cols)
    return buf.getvalue()


def _f37(zone: _Zone, f: Fault) -> Path:
    path = zone.pick("surveys/*.csv")
    header, first = _first_lines(path, 2)
    cols = _csv_row(first)
    cols[0], cols[_csv_row(header).index("nps_score")] = "SRV-F37", "11"
    _append_line(path, _csv_line(cols))
    return path


def _f38(zone: _Zone, f: Fault) -> Path:
    lines = _first_lines(sorted(zone.root.glob("surveys/*.csv"))[0], 4)
    drop = _csv_row(lines[0]).index("response_date")
    rows = [_csv_line([c for i, c in enumerate(_csv_row(ln)) if i != drop]) for ln in lines]
    out = zone.new(f, "surveys", "csv")
    out.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return out


def _f39(zone: _Zone, f: Fault) -> Path:
    header = _first_lines(sorted(zone.root.glob("surveys/*.csv"))[0], 1)[0]
    out = zone.new(f, "surveys", "csv")
    out.write_text(f"{header}\nSRV-F39,CUST-0000001,{'x' * (3 << 19)}", encoding="utf-8")
    return out


def _f40(zone: _Zone, f: Fault) -> Path:
    path = zone.pick("process_log/*.csv")
    lines = _first_lines(path, 3)
    _append_line(path, lines[2])
    return path


def _f41(zone: _Zone, f: Fault) -> Path:
    header, first = _first_lines(sorted(zone.root.glob("process_log/*.csv"))[0], 2)
    cols = _csv_row(first)
    cols[0], cols[_csv_row(header).index("case_id")] = "EV-F41", ""
    out = zone.new(f, "process_log", "csv")
    out.write_text(f"{header}\n{_csv_line(cols)}\n", encoding="utf-8")
    return out


def _f42(zone: _Zone, f: Fault) -> Path:
    path = zone.pick("inventory/*.csv")
    _append_line(
        path,
        "SITE-F42,Fault site,North,123.4,13.8,CELL-F42,F42-LTE-1,LTE,Ericsson,B3,NE-F42,"
        '"ManagedElement=NE-F42,ENodeBFunction=1,EUtranCellFDD=1",2016-07-01',
    )
    return path


# --- the landing zone --------------------------------------------------------------------------


def _f43(zone: _Zone, f: Fault) -> Path:
    out = zone.new(f, "alarms", "json")
    out.write_bytes(b"")
    return out


def _f44(zone: _Zone, f: Fault) -> Path:
    out = zone.new(f, "inventory", "csv")
    out.unlink(missing_ok=True)
    os.symlink("../../../../../../../../etc/passwd", out)
    return out


def _f45(zone: _Zone, f: Fault) -> Path:
    customer = _json_list(zone.root / "customers" / "tmf629_customers.json")[0]
    out = zone.root / "customers" / "..%2F..%2Fetc%2Fpasswd"
    out.write_text(f"[\n{_dumps(customer)}\n]\n", encoding="utf-8")
    return out


def _unknown_cell(ne: str, first_end: str, odd_end: str, ldns: list[str]) -> str:
    ldn = re.sub(r"=\d+$", "=99", ldns[0])
    return _meas_info(odd_end, "RRC.ConnEstab.Att", [(ldn, "12")])


def _pm(build: Callable[[str, str, str, list[str]], str]) -> Callable[[_Zone, Fault], Path]:
    return lambda zone, f: _pm_add(zone, build)


def _ves(change: Callable[[dict, _Zone], dict | None]) -> Callable[[_Zone, Fault], Path]:
    return lambda zone, f: _ves_add(zone, change)


INJECTORS: dict[str, Callable[[_Zone, Fault], Path]] = {
    "F01": _f01,
    "F02": _f02,
    "F03": _f03,
    "F04": _f04,
    "F05": _f05,
    "F06": _f06,
    "F07": _f07,
    "F08": _pm(_pm_value("RRC.ConnEstab.Att", "-42")),
    "F09": _pm(_pm_value("RRC.ConnEstab.Att", "999999999")),
    "F10": _pm(_pm_value("RRU.PrbUsedDl", "250")),
    "F11": _pm(_pm_value("CELL.UnavailTime", "5000")),
    "F12": _pm(_unknown_cell),
    "F13": _pm(_pm_value("RRC.ConnEstab.Att", "12", end="2099-01-01T00:15:00Z")),
    "F14": _pm(_pm_value("RRC.ConnEstab.Att", "12", end="1999-12-31T00:15:00Z")),
    "F15": _pm(_pm_value("RRC.ConnEstab.Att", "abc")),
    "F16": _f16,
    "F17": _pm(_pm_value("RRC.ConnEstab.Att", "12", duration="PT15X")),
    "F18": _ves_duplicate,
    "F19": _ves(_ves_unknown_cell),
    "F20": _ves(_ves_time(datetime(2099, 1, 1, tzinfo=UTC))),
    "F21": _ves(_ves_time(datetime(1999, 6, 1, tzinfo=UTC))),
    "F22": _ves(_set(("faultFields", "eventSeverity"), "SEVERE")),
    "F23": _ves(_set(("commonEventHeader", "domain"), "faultx")),
    "F24": _ves(lambda e, zone: {"faultFields": e["faultFields"]}),
    "F25": _f25,
    "F26": _f26,
    "F27": _f27,
    "F28": _f28,
    "F29": _f29,
    "F30": _f30,
    "F31": _f31,
    "F32": _f32,
    "F33": _f33,
    "F34": _f34,
    "F35": _f35,
    "F36": _f36,
    "F37": _f37,
    "F38": _f38,
    "F39": _f39,
    "F40": _f40,
    "F41": _f41,
    "F42": _f42,
    "F43": _f43,
    "F44": _f44,
    "F45": _f45,
}


def inject_faults(landing: Path, seed: int) -> list[FaultRecord]:
    """Damage the generated landing zone `landing` with every catalogued fault; update its
    truth.json (`faults`, `fault_injection`); return what was injected, in catalogue order."""
    landing = Path(landing)
    zone = _Zone(landing, seed)
    records: list[FaultRecord] = []
    for fault in CATALOGUE:
        path = INJECTORS[fault.id](zone, fault)
        zone.used.add(path)
        records.append(
            FaultRecord(
                id=fault.id,
                name=fault.name,
                description=fault.description,
                file=path.relative_to(landing).as_posix(),
                format=fault.format,
                dataset=fault.dataset,
                kind=fault.kind,
                records_removed=fault.records_removed,
                status=fault.status,
                reason=fault.reason,
            )
        )
    truth = zone.truth
    truth["faults"] = [asdict(r) for r in records]
    truth["fault_injection"] = {
        "seed": seed,
        "faults": len(records),
        "records_removed": sum(r.records_removed for r in records),
        "kpis_unaffected": True,
        "note": (
            "every fault adds damaged records or files and never removes or changes a record "
            "the truth counts, so kpis hold for the damaged zone; rows in = rows loaded + rows "
            "quarantined for every file, and each fault's file quarantines records_removed "
            "records with reason"
        ),
    }
    (landing / "truth.json").write_text(json.dumps(truth, indent=2) + "\n", encoding="utf-8")
    return records


__all__ = ["BY_ID", "CATALOGUE", "FaultRecord", "inject_faults"]
