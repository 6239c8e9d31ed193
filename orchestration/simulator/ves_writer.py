"""ONAP VES 7.2 fault events, one {"eventList": [...]} batch file per UTC day."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from .faults import ALARM_OF, Fault
from .jsonio import dumps
from .network import OSS_NAME, Network
from .timefmt import DAY_S, Period, iso


def alarm_events(faults: list[Fault], net: Network, period: Period) -> list[dict]:
    """Raise and clear events (clears only when the fault ended inside the period)."""
    raw = []
    for f in faults:
        cond, problem, sev = ALARM_OF[f.kind]
        raw.append((f.raised, f, sev))
        if f.end < period.t1:
            raw.append((f.end, f, "NORMAL"))
    raw.sort(key=lambda r: (r[0], r[1].cell, r[2] == "NORMAL"))
    seq: dict[str, int] = defaultdict(int)
    events = []
    for i, (t, f, sev) in enumerate(raw):
        cond, problem, _ = ALARM_OF[f.kind]
        c = f.cell
        src = str(net.ne_ids[c])
        vendor = str(net.vendor[c])
        events.append(
            {
                "commonEventHeader": {
                    "domain": "fault",
                    "eventId": f"fault{i + 1:08d}",
                    "eventName": f"Fault_{vendor}_{cond}",
                    "eventType": "RAN",
                    "sourceName": src,
                    "reportingEntityName": f"{OSS_NAME[vendor]}-OSS",
                    "nfVendorName": vendor,
                    "sequence": seq[src],
                    "priority": "High" if sev in ("CRITICAL", "MAJOR") else "Medium",
                    "startEpochMicrosec": t * 1_000_000,
                    "lastEpochMicrosec": t * 1_000_000,
                    "timeZoneOffset": "UTC+00:00",
                    "version": "4.1",
                    "vesEventListenerVersion": "7.2.1",
                },
                "faultFields": {
                    "faultFieldsVersion": "4.0",
                    "alarmCondition": cond,
                    "specificProblem": problem,
                    "eventSeverity": sev,
                    "eventSourceType": "gNB" if net.tech[c] == "NR" else "eNodeB",
                    "vfStatus": "Active",
                    "alarmInterfaceA": str(net.ldns[c]),
                    "alarmAdditionalInformation": {"cellId": str(net.cell_ids[c])},
                },
            }
        )
        seq[src] += 1
    return events


def write_alarm_files(out: Path, events: list[dict], period: Period) -> None:
    """One file per day that has events: alarms/ves_faults_<yyyymmdd>.json."""
    by_day: dict[int, list[dict]] = defaultdict(list)
    for e in events:
        t = e["commonEventHeader"]["startEpochMicrosec"] // 1_000_000
        by_day[(t - period.t0) // DAY_S].append(e)
    for d in sorted(by_day):
        stamp = iso(period.day_t0(d))[:10].replace("-", "")
        path = out / "alarms" / f"ves_faults_{stamp}.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        body = ",\n".join(dumps(e) for e in by_day[d])
        path.write_text('{"eventList":[\n' + body + "\n]}\n", encoding="utf-8")
