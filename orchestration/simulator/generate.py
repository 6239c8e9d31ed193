"""Entry point: generate a whole synthetic operator's landing zone plus truth.json.

Every module draws from its own random stream derived from (seed, stream id[, day]), so the
same profile and seed give byte-identical files, and days can be generated one at a time.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import numpy as np
from tqdm import tqdm

from .automation import TaskAssigner
from .billing import drop_shocks_after_churn, pick_unbilled, plant_bill_shocks, write_bills
from .churn_risk import draw_tenure, drop_tickets_after_churn, plant_predictive_churn
from .csv_writers import sort_process_events, write_inventory, write_process_log, write_surveys
from .customers import SEGMENTS, Customers, build_customers, compute_exposure, plant_churn
from .faults import build_faults
from .network import (
    Network,
    build_network,
    impaired_fraction_by_day,
    plant_gradual,
    plant_impairments,
)
from .orders import simulate_orders
from .pm_counters import day_counters
from .pm_xml_writer import file_name, render_batch, write_file
from .profiles import WORKFLOWS, Profile, get_profile
from .reference import load_reference
from .surveys import simulate_surveys
from .tickets import (
    assign_ids,
    complaint_tickets,
    dispute_tickets,
    incident_tickets,
    plant_dispute_churn,
    ticket_process_events,
)
from .timefmt import Period
from .tmf629_writer import write_customers
from .tmf_writers import write_orders, write_tickets
from .truth import build_truth
from .truth_incidents import degraded_periods
from .truth_predictive import predictive_truth
from .usage import write_usage_day
from .ves_writer import alarm_events, write_alarm_files
from .windows import scoring_start_day

# folders the simulator owns inside a landing zone (cleared before writing)
_OUTPUT_DIRS = (
    "inventory",
    "pm",
    "alarms",
    "customers",
    "orders",
    "tickets",
    "bills",
    "usage",
    "surveys",
    "process_log",
)


def _rng(seed: int, stream: int) -> np.random.Generator:
    return np.random.default_rng([seed, stream])


def _epoch(d: date) -> int:
    """00:00 UTC of a calendar date, in epoch seconds."""
    return int(datetime(d.year, d.month, d.day, tzinfo=UTC).timestamp())


@dataclass
class _Story:
    """What the simulator decided before writing any file: the network and its impairments,
    the customers with their planted churn, and the events that touch them."""

    net: Network
    imps: list
    gradual: list
    cell_frac: np.ndarray
    cust: Customers
    unbilled: np.ndarray
    faults: list
    complaints: list
    disputes: list
    shocks: list
    assessments: list


def _plan_story(prof: Profile, period: Period, go_live: dict[str, int], seed: int) -> _Story:
    """Plant the network's impairments, the customers and what drives their churn, in the
    order the planted effects read each other (each from its own random stream)."""
    net = build_network(prof, _rng(seed, 1))
    imps = plant_impairments(prof, period, net, _rng(seed, 2))
    gradual = plant_gradual(
        prof,
        period,
        net,
        {i.cell for i in imps},
        scoring_start_day(period.days),
        _rng(seed, 15),
    )
    cell_frac = impaired_fraction_by_day(period, net.n, imps)

    cust = build_customers(prof.n_subscribers, net, _rng(seed, 3))
    compute_exposure(cust, cell_frac)
    plant_churn(cust, period, imps, _rng(seed, 4))
    # disputes come first: some disputing customers leave over them (planted churn effect)
    disputes = dispute_tickets(prof, period, cust, go_live["billing_dispute"], _rng(seed, 11))
    plant_dispute_churn(disputes, cust, period, _rng(seed, 14))
    unbilled = pick_unbilled(cust, prof.n_unbilled, _rng(seed, 5))
    faults = build_faults(prof, period, net, imps, go_live["fault_management"], _rng(seed, 6))
    complaints = complaint_tickets(prof, period, cust, faults, _rng(seed, 10))
    shocks = plant_bill_shocks(cust, period, unbilled, prof.bill_shocks_per_day, _rng(seed, 19))
    # predictable churn last: it reads the complaints, disputes and bill shocks before each
    # assessment day
    cust.since_t = draw_tenure(cust, period, _rng(seed, 16))
    assessments = plant_predictive_churn(
        cust, period, imps, complaints + disputes, cust.since_t, _rng(seed, 17), shocks
    )
    return _Story(
        net=net,
        imps=imps,
        gradual=gradual,
        cell_frac=cell_frac,
        cust=cust,
        unbilled=unbilled,
        faults=faults,
        complaints=drop_tickets_after_churn(complaints, cust),
        disputes=drop_tickets_after_churn(disputes, cust),
        shocks=drop_shocks_after_churn(shocks, cust),
        assessments=assessments,
    )


def _write_pm(
    out: Path, prof: Profile, period: Period, story: _Story, seed: int, bar: tqdm
) -> list[tuple[int, int]]:
    """The RAN counter files, one day and OSS batch at a time (bounded memory); the
    (cell, period start) of every degraded PM period, for the truth."""
    net = story.net
    batches = sorted(set(net.oss))
    degraded: list[tuple[int, int]] = []
    for d in range(period.days):
        vals = day_counters(period, d, net, story.imps + story.gradual, seed)
        degraded += degraded_periods(vals, period.day_t0(d))
        for oss in batches:
            cells = np.flatnonzero(net.oss == oss)
            vendor = str(net.vendor[cells[0]])
            gz = (d, oss) not in prof.plain_pm
            text = render_batch(net, cells, period.day_t0(d), vals[cells], vendor, oss)
            write_file(out / "pm" / oss / file_name(period.day_t0(d), oss, gz), text, gz)
        bar.update(1)
    return degraded


def _write_usage(
    out: Path, prof: Profile, period: Period, story: _Story, seed: int, bar: tqdm
) -> dict[int, set[int]]:
    """The usage files, one day at a time; {unbilled customer: days they used the network}."""
    unbilled_usage_days: dict[int, set[int]] = {}
    for d in range(period.days):
        used = write_usage_day(
            out, d, prof, period, story.cust, story.net, story.cell_frac, story.unbilled, seed
        )
        for c in np.intersect1d(used["customers"], story.unbilled):
            unbilled_usage_days.setdefault(int(c), set()).add(d)
        bar.update(1)
    return unbilled_usage_days


def _write_tickets(
    out: Path, period: Period, story: _Story, go_live: dict[str, int], events: list, seed: int
) -> tuple[list, list]:
    """The trouble tickets (incidents, complaints, disputes) and the whole process log; the
    tickets and the process events, sorted."""
    tickets = assign_ids(
        incident_tickets(story.faults, period, go_live["fault_management"], _rng(seed, 9))
        + story.complaints
        + story.disputes
    )
    events = sort_process_events(
        events + ticket_process_events(tickets, TaskAssigner(_rng(seed, 12)), period)
    )
    write_tickets(out, tickets, story.net)
    write_process_log(out, events)
    return tickets, events


def generate(
    profile: str, seed: int, out: Path, progress: bool = True, faults: bool = False
) -> dict:
    """Write the landing zone of profile `profile` with `seed` into `out`; return the truth.

    With `faults`, the zone is then damaged in every way of the fault catalogue
    (`fault_injection.inject_faults`) and the truth lists the faults. Raises ValueError for an
    unknown profile name.
    """
    prof = get_profile(profile)
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    for d in _OUTPUT_DIRS:
        shutil.rmtree(out / d, ignore_errors=True)
    period = Period(prof.start, prof.days)
    ref = load_reference()
    go_live = {w: _epoch(ref.go_live[w]) for w in WORKFLOWS}
    bar = tqdm(
        total=2 * period.days + 4, disable=not progress, unit="step", desc=f"generate {profile}"
    )

    story = _plan_story(prof, period, go_live, seed)
    cust, net = story.cust, story.net
    write_inventory(out, net)
    write_customers(out / "customers" / "tmf629_customers.json", cust, net, period)
    bar.update(1)

    degraded = _write_pm(out, prof, period, story, seed, bar)
    write_alarm_files(out, alarm_events(story.faults, net, period), period)

    orders, events = simulate_orders(
        prof,
        period,
        cust,
        go_live["order_fulfilment"],
        _rng(seed, 7),
        TaskAssigner(_rng(seed, 8)),
        net,
        _rng(seed, 18),
    )
    write_orders(out, orders, [SEGMENTS[s] for s in cust.segment])
    bar.update(1)

    tickets, events = _write_tickets(out, period, story, go_live, events, seed)
    bar.update(1)

    shock_bills = write_bills(out, cust, story.unbilled, period, story.shocks)
    surveys = simulate_surveys(prof, period, cust, _rng(seed, 13))
    write_surveys(out, surveys, period)
    bar.update(1)

    unbilled_usage_days = _write_usage(out, prof, period, story, seed, bar)
    bar.close()

    truth = build_truth(
        prof,
        seed,
        period,
        orders,
        tickets,
        events,
        story.imps,
        net,
        cust,
        story.unbilled,
        surveys,
        go_live,
        story.faults,
        degraded,
        unbilled_usage_days,
        ref,
    )
    truth["predictive"] = predictive_truth(
        period,
        orders,
        cust,
        story.assessments[-1],
        story.imps + story.gradual,
        net,
        list(zip(story.shocks, shock_bills, strict=True)),
    )
    (out / "truth.json").write_text(json.dumps(truth, indent=2) + "\n", encoding="utf-8")
    if faults:
        from .fault_injection import inject_faults

        inject_faults(out, seed)
        truth = json.loads((out / "truth.json").read_text(encoding="utf-8"))
    return truth
