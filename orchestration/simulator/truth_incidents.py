"""Incident truth (docs/kpi_definitions.md, Incidents): alarm episodes and degraded PM periods,
grouped per cell, from the simulator's own faults and counter values."""

from __future__ import annotations

from collections import defaultdict

import numpy as np

from .faults import ALARM_OF, Fault
from .network import Impairment, Network
from .pm_counters import COUNTERS
from .timefmt import PERIOD_S, Period, iso

GAP_S = 900  # intervals at most one PM period apart join the same incident
COUNTED_SEVERITIES = ("CRITICAL", "MAJOR", "MINOR")
_ATT, _SUCC, _DROP, _NORMAL, _UNAVAIL = (
    COUNTERS.index(c)
    for c in (
        "RRC.ConnEstab.Att",
        "RRC.ConnEstab.Succ",
        "DRB.RelAbnormal",
        "DRB.RelNormal",
        "CELL.UnavailTime",
    )
)


def degraded_mask(vals: np.ndarray) -> np.ndarray:
    """(cells, periods, counters) int64 counter values -> (cells, periods) bool: degraded."""
    att, succ = vals[..., _ATT], vals[..., _SUCC]
    drops, rel = vals[..., _DROP], vals[..., _DROP] + vals[..., _NORMAL]
    unavailable = vals[..., _UNAVAIL] >= PERIOD_S // 2
    # integer forms of succ/att < 0.90 and drops/rel > 0.03
    access = (att >= 100) & (10 * succ < 9 * att)
    retain = (rel >= 500) & (100 * drops > 3 * rel)
    return unavailable | access | retain


def degraded_periods(vals: np.ndarray, day_t0: int) -> list[tuple[int, int]]:
    """(cell, period start epoch s) of every degraded period of one day."""
    cells, periods = np.nonzero(degraded_mask(vals))
    return [(int(c), day_t0 + int(p) * PERIOD_S) for c, p in zip(cells, periods, strict=True)]


def alarm_episodes(faults: list[Fault], period: Period) -> list[tuple[int, int, int | None]]:
    """(cell, start, end or None) per alarm episode, from the raise/clear events the alarm
    files carry: per (cell, condition), clears before raises at the same second; the raises
    between two clears form one episode ending at the next clear."""
    events: dict[tuple[int, str], list[tuple[int, int]]] = defaultdict(list)
    for f in faults:
        cond, _problem, severity = ALARM_OF[f.kind]
        if severity in COUNTED_SEVERITIES:
            events[(f.cell, cond)].append((f.raised, 1))
        if f.end < period.t1:
            events[(f.cell, cond)].append((f.end, 0))
    out = []
    for (cell, _cond), evs in events.items():
        start = None
        for t, is_raise in sorted(evs):
            if is_raise and start is None:
                start = t
            elif not is_raise and start is not None:
                out.append((cell, start, t))
                start = None
        if start is not None:
            out.append((cell, start, None))
    return out


def group_incidents(
    intervals: list[tuple[int, int, int | None]],
) -> list[tuple[int, int, int | None]]:
    """Per cell, sort by (start, end) and chain intervals whose start is at most GAP_S after the
    latest end so far; an open interval (end None) absorbs the rest of the cell."""
    by_cell: dict[int, list[tuple[int, int | None]]] = defaultdict(list)
    for cell, a, b in intervals:
        by_cell[cell].append((a, b))
    out = []
    inf = float("inf")
    for cell in sorted(by_cell):
        ivs = sorted(by_cell[cell], key=lambda x: (x[0], inf if x[1] is None else x[1]))
        cur_a, cur_b = ivs[0][0], (inf if ivs[0][1] is None else ivs[0][1])
        for a, b in ivs[1:]:
            b2 = inf if b is None else b
            if a <= cur_b + GAP_S:
                cur_b = max(cur_b, b2)
            else:
                out.append((cell, cur_a, None if cur_b == inf else int(cur_b)))
                cur_a, cur_b = a, b2
        out.append((cell, cur_a, None if cur_b == inf else int(cur_b)))
    return out


def incidents(
    faults: list[Fault], degraded: list[tuple[int, int]], period: Period
) -> list[tuple[int, int, int | None]]:
    """Every incident (cell, start, end or None) built over all the data."""
    ivs = alarm_episodes(faults, period) + [(c, s, s + PERIOD_S) for c, s in degraded]
    return group_incidents(ivs)


def outages_detected(
    imps: list[Impairment], found: list[tuple[int, int, int | None]], net: Network
) -> dict:
    """Which planted outages an incident on their cell overlaps."""
    outages = [i for i in imps if i.kind == "outage"]
    hit = [
        o
        for o in outages
        if any(c == o.cell and a < o.end and (b is None or b > o.start) for c, a, b in found)
    ]
    return {
        "planted": len(outages),
        "detected": len(hit),
        "missed": [
            {"cell_id": str(net.cell_ids[o.cell]), "start": iso(o.start)}
            for o in outages
            if o not in hit
        ],
    }
