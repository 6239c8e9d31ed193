"""The synthetic operator: determinism, committed seeds, planted effects and truth.

Readers here are deliberately tiny and independent of the platform's parsers.
"""

from __future__ import annotations

import csv
import gzip
import json
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from lxml import etree

from orchestration.simulator import PROFILES, generate
from tests.kpi_truth import CONTRACT_KEYS

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "seeds"
NS = {"m": "http://www.3gpp.org/ftp/specs/archive/32_series/32.435#measCollec"}
ISO = re.compile(rb'"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)"')


def _files(d: Path) -> dict[str, bytes]:
    return {str(p.relative_to(d)): p.read_bytes() for p in sorted(d.rglob("*")) if p.is_file()}


def _ts(s: str) -> datetime:
    return datetime.strptime(s, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    out = tmp_path_factory.mktemp("demo42")
    return out, generate("demo", 42, out, progress=False)


@pytest.fixture(scope="module")
def period(demo: tuple[Path, dict]) -> tuple[datetime, datetime]:
    p = demo[1]["period"]
    return _ts(p["start"]), _ts(p["end"])


def test_other_seed_differs(demo, tmp_path: Path) -> None:
    # The same seed gives the same bytes: test_committed_seeds_match_a_fresh_generation.
    generate("demo", 43, tmp_path / "b", progress=False)
    other = _files(tmp_path / "b")
    assert (
        other["orders/tmf622_product_orders.json"]
        != _files(demo[0])["orders/tmf622_product_orders.json"]
    )


def test_committed_seeds_match_a_fresh_generation(demo) -> None:
    assert SEEDS.is_dir(), "seeds/ missing: run generate('demo', 42, Path('seeds'))"
    assert _files(SEEDS) == _files(demo[0])


def test_unknown_profile_raises() -> None:
    with pytest.raises(ValueError, match=r"unknown profile 'x' \(choose from demo, small, large\)"):
        generate("x", 1, Path("/nonexistent"), progress=False)
    assert set(PROFILES) == {"demo", "small", "large"}


def test_demo_fits_in_the_repository(demo) -> None:
    assert sum(len(b) for b in _files(demo[0]).values()) <= 10 * 1024 * 1024


def test_truth_shape(demo) -> None:
    truth = demo[1]
    assert list(truth) == ["profile", "seed", "period", "kpis", "planted", "predictive"]
    assert tuple(truth["kpis"]) == CONTRACT_KEYS
    assert list(truth["kpis"]["roi"]) == ["benefit", "cost", "roi_pct", "payback_month"]
    assert set(truth["kpis"]["autonomy"]) == {
        "fault_management",
        "order_fulfilment",
        "billing_dispute",
    }
    for months in truth["kpis"]["autonomy"].values():
        for m, v in months.items():
            assert re.fullmatch(r"2026-0[12]", m) and 0 <= v["level"] <= 5
            assert list(v["roles"]) == ["execution", "awareness", "analysis", "decision", "intent"]
    assert truth["period"]["start"] == "2026-01-01T00:00:00Z" and truth["period"]["days"] >= 59
    assert json.loads((demo[0] / "truth.json").read_text()) == truth
    doc = (ROOT / "docs" / "kpi_definitions.md").read_text()
    assert all(f"`{k}`" in doc for k in CONTRACT_KEYS)


def _median(xs: list[float]) -> float:
    xs = sorted(xs)
    n = len(xs)
    return xs[n // 2] if n % 2 else (xs[n // 2 - 1] + xs[n // 2]) / 2


def test_order_and_ticket_kpis_recomputed_from_the_files(demo, period) -> None:
    out, truth = demo
    k = truth["kpis"]
    orders = json.loads((out / "orders" / "tmf622_product_orders.json").read_text())
    done = [o for o in orders if o["state"] == "completed"]
    assert all("completionDate" in o for o in done)
    on_time = sum(o["completionDate"] <= o["requestedCompletionDate"] for o in done)
    days = (period[1] - period[0]).days
    fallout: set[str] = set()
    for p in sorted((out / "orders").glob("tmf622_order_events_*.json")):
        for e in json.loads(p.read_text()):
            if e["event"]["productOrder"]["state"] in ("held", "failed"):
                fallout.add(e["event"]["productOrder"]["id"])
    hours = [
        (_ts(o["completionDate"]) - _ts(o["creationDate"])).total_seconds() / 3600 for o in done
    ]
    assert {key: k[key] for key in CONTRACT_KEYS[:5]} == {
        "orders_completed": len(done),
        "order_throughput_per_day": round(len(done) / days, 4),
        "on_time_delivery_pct": round(100 * on_time / len(done), 4),
        "order_fallout_pct": round(100 * len(fallout) / len(orders), 4),
        "order_cycle_time_median_hours": round(_median(hours), 4),
    }
    assert any(o["state"] in ("cancelled", "rejected") for o in orders)
    tickets = json.loads((out / "tickets" / "tmf621_trouble_tickets.json").read_text())
    res = [t for t in tickets if t["status"] in ("resolved", "closed")]
    mttr = [(_ts(t["resolutionDate"]) - _ts(t["creationDate"])).total_seconds() / 3600 for t in res]
    assert k["tickets_resolved"] == len(res)
    assert k["mttr_median_hours"] == round(_median(mttr), 4)


def _leaks(out: Path) -> dict[tuple[str, str], float]:
    """(product id, YYYY-MM) -> expected charge, for every service with usage in a billing month
    and no billing rate that month (the charge: the modal amount billed for the customer's plan
    that month)."""
    custs = json.loads((out / "customers" / "tmf629_customers.json").read_text())
    rates = [r for p in (out / "bills").glob("*rates_*.json") for r in json.loads(p.read_text())]
    billed = {(r["product"]["id"], r["date"][:7]) for r in rates}
    billing_months = {m for _, m in billed}
    amounts: dict[tuple[str, str], list[float]] = {}
    for r in rates:
        amounts.setdefault((r["name"], r["date"][:7]), []).append(
            float(r["taxExcludedAmount"]["value"])
        )
    plan = {
        c["id"]: next(x["value"] for x in c["characteristic"] if x["name"] == "plan") for c in custs
    }
    owner: dict[tuple[str, str], str] = {}
    for p in (out / "usage").glob("*.json"):
        for u in json.loads(p.read_text()):
            month = u["usageDate"][:7]
            pid = next(c["value"] for c in u["usageCharacteristic"] if c["name"] == "productId")
            if month in billing_months and (pid, month) not in billed:
                owner[(pid, month)] = u["relatedParty"][0]["partyOrPartyRole"]["id"]

    def modal(xs: list[float]) -> float:
        return min(xs, key=lambda x: (-xs.count(x), x))

    return {(pid, m): modal(amounts[(plan[c], m)]) for (pid, m), c in owner.items()}


def test_customer_kpis_recomputed_from_the_files(demo) -> None:
    out, truth = demo
    k = truth["kpis"]
    with open(out / "surveys" / "survey_responses.csv") as f:
        scores = [int(r["nps_score"]) for r in csv.DictReader(f)]
    promoters = sum(s >= 9 for s in scores)
    detractors = sum(s <= 6 for s in scores)
    assert k["nps"] == round(100 * (promoters - detractors) / len(scores), 4)
    custs = json.loads((out / "customers" / "tmf629_customers.json").read_text())
    churned = [c for c in custs if c["status"] == "terminated"]
    assert k["churn_rate_pct"] == round(100 * len(churned) / len(custs), 4)
    # leakage: usage in a billing month without a rate that month, at the plan's modal amount
    leaks = _leaks(out)
    amount = sum(leaks.values())
    assert k["revenue_leakage_services"] == len({pid for pid, _ in leaks})
    assert k["revenue_leakage_services"] == truth["planted"]["unbilled_products"]["count"]
    assert k["revenue_leakage_amount"] == round(amount, 4) > 0


def test_autonomy_recomputed_from_the_process_log(demo) -> None:
    from orchestration.simulator.reference import load_reference
    from orchestration.simulator.timefmt import Period
    from orchestration.simulator.truth_autonomy import autonomy

    out, truth = demo
    with open(out / "process_log" / "process_events.csv") as f:
        ev = [
            (
                r["case_id"],
                r["workflow"],
                r["activity"],
                int(_ts(r["timestamp"]).timestamp()),
                r["resource"],
                r["resource_type"],
                r["task_category"],
            )
            for r in csv.DictReader(f)
        ]
    period = Period(_ts(truth["period"]["start"]).date(), truth["period"]["days"])
    assert autonomy(ev, period, load_reference().weights) == truth["kpis"]["autonomy"]
    # the program shows: order fulfilment climbs at least one level from January to February
    of = truth["kpis"]["autonomy"]["order_fulfilment"]
    assert of["2026-02"]["level"] > of["2026-01"]["level"]
    assert of["2026-02"]["score"] > of["2026-01"]["score"]


def test_planted_effects_are_recoverable(demo) -> None:
    truth = demo[1]
    roi = truth["planted"]["roi"]
    # the documented counterfactual estimate lands within 10% of the planted benefit
    assert truth["kpis"]["roi"]["benefit"] == pytest.approx(roi["benefit"], rel=0.10)
    assert roi["by_lever"]["leakage"] == truth["kpis"]["revenue_leakage_amount"]
    found = truth["planted"]["outages_detected"]
    assert found["planted"] == len(truth["planted"]["outages"]) and found["missed"] == []
    assert truth["kpis"]["incidents_detected"] >= len(truth["planted"]["outages"]) + len(
        truth["planted"]["degradations"]
    )
    assert truth["planted"]["churn"]["uplift"]["uplift_pp"] > 0


def test_every_record_lies_inside_the_period(demo, period) -> None:
    out, _ = demo
    lo, hi = period
    for p in sorted(out.rglob("*.json")):
        if p.name == "truth.json":
            continue
        for m in ISO.finditer(p.read_bytes()):
            assert lo <= _ts(m.group(1).decode()) < hi, (p, m.group(1))
    for p in (out / "alarms").glob("*.json"):
        for e in json.loads(p.read_text())["eventList"]:
            t = e["commonEventHeader"]["startEpochMicrosec"] / 1e6
            assert lo.timestamp() <= t < hi.timestamp()
    for name, col in (
        ("process_log/process_events.csv", "timestamp"),
        ("surveys/survey_responses.csv", "response_date"),
    ):
        with open(out / name) as f:
            for row in csv.DictReader(f):
                v = row[col] if "T" in row[col] else row[col] + "T00:00:00Z"
                assert lo <= _ts(v) < hi
    # PM: a file for every OSS batch and every day
    days = {p.name[1:9] for p in (out / "pm").rglob("A*")}
    assert len(days) == (hi - lo).days
    assert {p.parent.name for p in (out / "pm").rglob("A*")} == {
        p.name for p in (out / "pm").iterdir()
    }


def _pm_values(path: Path) -> dict[tuple[str, str], dict[str, str]]:
    """(endTime, measObjLdn) -> {counter: value}, for both 32.435 value layouts."""
    data = path.read_bytes()
    root = etree.fromstring(gzip.decompress(data) if data[:2] == b"\x1f\x8b" else data)
    out = {}
    for info in root.iterfind(".//m:measInfo", NS):
        end = info.find("m:granPeriod", NS).get("endTime")
        types = info.find("m:measTypes", NS)
        names = (
            types.text.split()
            if types is not None
            else {t.get("p"): t.text for t in info.iterfind("m:measType", NS)}
        )
        for mv in info.iterfind("m:measValue", NS):
            res = mv.find("m:measResults", NS)
            if res is not None:
                vals = dict(zip(names, res.text.split(), strict=True))
            else:
                vals = {names[r.get("p")]: r.text for r in mv.iterfind("m:r", NS)}
            out[(end, mv.get("measObjLdn"))] = vals
    return out


def test_outage_cells_report_unavailable_in_the_window(demo) -> None:
    out, truth = demo
    with open(out / "inventory" / "cells.csv") as f:
        ldn = {r["cell_id"]: r["meas_obj_ldn"] for r in csv.DictReader(f)}
    layouts = set()
    for o in truth["planted"]["outages"]:
        start, end = _ts(o["start"]), _ts(o["end"])
        day = start.strftime("%Y%m%d")
        (f,) = [
            p
            for p in (out / "pm").rglob(f"A{day}*")
            if ldn[o["cell_id"]]
            in (gzip.decompress(p.read_bytes()) if p.suffix == ".gz" else p.read_bytes()).decode()
        ]
        layouts.add(
            "measTypes"
            if b"measTypes"
            in (gzip.decompress(f.read_bytes()) if f.suffix == ".gz" else f.read_bytes())
            else "p"
        )
        vals = _pm_values(f)
        inside = [
            v for (t, obj), v in vals.items() if obj == ldn[o["cell_id"]] and start < _ts(t) <= end
        ]
        assert inside and all(v["CELL.UnavailTime"] == "900" for v in inside)
        assert all(v["RRC.ConnEstab.Att"] == "0" for v in inside)
        outside = [
            v
            for (t, obj), v in vals.items()
            if obj == ldn[o["cell_id"]] and not start < _ts(t) <= end
        ]
        assert all(v["CELL.UnavailTime"] == "0" for v in outside)
    # both value layouts are in use somewhere in the zone
    texts = [
        gzip.decompress(p.read_bytes()) if p.suffix == ".gz" else p.read_bytes()
        for p in sorted((out / "pm").rglob("A20260102*"))
    ]
    assert any(b"<measTypes>" in t for t in texts) and any(b'<r p="1">' in t for t in texts)
    assert {p.suffix for p in (out / "pm").rglob("A*")} == {".xml", ".gz"}


def test_fallout_drops_after_go_live(demo) -> None:
    out, truth = demo
    auto = truth["planted"]["automation"]["order_fulfilment"]
    assert auto["fallout_rate_after"] < auto["fallout_rate_before"]
    assert auto["median_cycle_time_hours_after"] < auto["median_cycle_time_hours_before"]
    assert auto["system_task_share_after"] > auto["system_task_share_before"]
    orders = json.loads((out / "orders" / "tmf622_product_orders.json").read_text())
    created = {o["id"]: o["creationDate"] for o in orders}
    fallout: set[str] = set()
    for p in sorted((out / "orders").glob("tmf622_order_events_*.json")):
        for e in json.loads(p.read_text()):
            if e["event"]["productOrder"]["state"] in ("held", "failed"):
                fallout.add(e["event"]["productOrder"]["id"])
    before = [o for o, c in created.items() if c < auto["go_live"]]
    after = [o for o, c in created.items() if c >= auto["go_live"]]
    rate_b = sum(o in fallout for o in before) / len(before)
    rate_a = sum(o in fallout for o in after) / len(after)
    assert rate_a < rate_b
    assert round(rate_b, 4) == auto["fallout_rate_before"]
    assert round(rate_a, 4) == auto["fallout_rate_after"]


def test_unbilled_products_have_usage_but_no_rate(demo) -> None:
    out, truth = demo
    unbilled = set(truth["planted"]["unbilled_products"]["product_ids"])
    assert len(unbilled) == truth["planted"]["unbilled_products"]["count"] > 0
    rated = {
        r["product"]["id"]
        for p in (out / "bills").glob("tmf678_billing_rates_*.json")
        for r in json.loads(p.read_text())
    }
    used = {
        c["value"]
        for p in (out / "usage").glob("*.json")
        for u in json.loads(p.read_text())
        for c in u["usageCharacteristic"]
        if c["name"] == "productId"
    }
    assert unbilled <= used
    assert not unbilled & rated
    # every other product with usage is billed (leakage is exactly the planted set)
    assert (used - rated) == unbilled


def test_pii_is_in_the_customer_file_and_churn_is_marked(demo) -> None:
    out, truth = demo
    custs = json.loads((out / "customers" / "tmf629_customers.json").read_text())
    c = custs[0]
    kinds = {m["contactType"] for m in c["contactMedium"]}
    assert {"email", "mobile", "postalAddress"} <= kinds and " " in c["name"]
    term = [c for c in custs if c["status"] == "terminated"]
    assert term and all("endDateTime" in c["validFor"] for c in term)
    churn = truth["planted"]["churn"]
    assert churn["churn_rate_exposed"] > churn["churn_rate_unexposed"]
    s = truth["planted"]["surveys"]
    assert s["nps_mean_exposed"] < s["nps_mean_unexposed"]


def test_incidents_recomputed_from_the_alarm_and_pm_files(demo) -> None:
    """The incident rule of docs/kpi_definitions.md, applied to what the files say, gives the
    truth's count (alarm episodes per cell and condition + degraded 15-minute periods)."""
    from orchestration.simulator.truth_incidents import group_incidents

    out, truth = demo
    with open(out / "inventory" / "cells.csv") as f:
        cell_of = {r["meas_obj_ldn"]: r["cell_id"] for r in csv.DictReader(f)}
    events: dict[tuple[str, str], list[tuple[int, int]]] = {}
    for p in sorted((out / "alarms").glob("*.json")):
        for e in json.loads(p.read_text())["eventList"]:
            h, f = e["commonEventHeader"], e["faultFields"]
            key = (f["alarmAdditionalInformation"]["cellId"], f["alarmCondition"])
            raise_ = int(f["eventSeverity"] in ("CRITICAL", "MAJOR", "MINOR"))
            events.setdefault(key, []).append((h["startEpochMicrosec"] // 10**6, raise_))
    ivs: list[tuple[str, int, int | None]] = []
    for (cell, _), evs in events.items():
        start = None
        for t, is_raise in sorted(evs):  # clears (0) before raises (1) at the same second
            if is_raise and start is None:
                start = t
            elif not is_raise and start is not None:
                ivs.append((cell, start, t))
                start = None
        if start is not None:
            ivs.append((cell, start, None))
    for p in sorted((out / "pm").rglob("A*")):
        for (end, ldn), v in _pm_values(p).items():
            att, succ = int(v["RRC.ConnEstab.Att"]), int(v["RRC.ConnEstab.Succ"])
            drops = int(v["DRB.RelAbnormal"])
            rel = drops + int(v["DRB.RelNormal"])
            if (
                int(v["CELL.UnavailTime"]) >= 450
                or (att >= 100 and succ / att < 0.90)
                or (rel >= 500 and drops / rel > 0.03)
            ):
                t = int(datetime.fromisoformat(end).timestamp())
                ivs.append((cell_of[ldn], t - 900, t))
    found = group_incidents(ivs)
    assert len(found) == truth["kpis"]["incidents_detected"]
    for o in truth["planted"]["outages"]:
        a, b = _ts(o["start"]).timestamp(), _ts(o["end"]).timestamp()
        assert any(c == o["cell_id"] and s < b and (e is None or e > a) for c, s, e in found)


def test_roi_recomputed_from_the_files_and_reference_tables(demo) -> None:
    """docs/kpi_definitions.md, ROI of automation, from the written files only."""
    out, truth = demo
    seeds = ROOT / "dbt_project" / "seeds"
    with open(seeds / "roi_assumptions.csv") as f:
        a = {r["assumption"]: float(r["value"]) for r in csv.DictReader(f)}
    with open(seeds / "automation_go_live.csv") as f:
        go = {r["workflow"]: _ts(r["go_live_date"] + "T00:00:00Z") for r in csv.DictReader(f)}
    benefit: dict[str, float] = {}

    def lever(cases: list[tuple[datetime, float]], go_live: datetime, money: float) -> None:
        base = [y for t, y in cases if t < go_live]
        rate = sum(base) / len(base)
        for t, y in cases:
            if t >= go_live:
                m = t.strftime("%Y-%m")
                benefit[m] = benefit.get(m, 0.0) + (rate - y) * money

    minutes = {"human": a["minutes_per_human_task"], "human+system": a["minutes_per_assisted_task"]}
    cases: dict[tuple[str, str], list[dict]] = {}
    with open(out / "process_log" / "process_events.csv") as f:
        for r in csv.DictReader(f):
            cases.setdefault((r["workflow"], r["case_id"]), []).append(r)
    for wf in go:
        rows = [evs for (w, _), evs in cases.items() if w == wf]
        start = [min(_ts(e["timestamp"]) for e in evs) for evs in rows]
        hours = [sum(minutes.get(e["resource_type"], 0.0) for e in evs) / 60 for evs in rows]
        lever(list(zip(start, hours, strict=True)), go[wf], a["loaded_labour_rate_per_hour"])
        if wf == "fault_management":
            rolls = [
                float(any(e["activity"] == "Dispatch field technician" for e in evs))
                for evs in rows
            ]
            lever(list(zip(start, rolls, strict=True)), go[wf], a["truck_roll_cost"])
    orders = json.loads((out / "orders" / "tmf622_product_orders.json").read_text())
    fallout: set[str] = set()
    for p in (out / "orders").glob("tmf622_order_events_*.json"):
        for e in json.loads(p.read_text()):
            if e["event"]["productOrder"]["state"] in ("held", "failed"):
                fallout.add(e["event"]["productOrder"]["id"])
    lever(
        [(_ts(o["creationDate"]), float(o["id"] in fallout)) for o in orders],
        go["order_fulfilment"],
        a["cost_per_fallout"],
    )
    end = _ts(truth["period"]["end"])
    window = a["dispute_churn_window_days"] * 86_400
    gone = {
        c["id"]: _ts(c["validFor"]["endDateTime"])
        for c in json.loads((out / "customers" / "tmf629_customers.json").read_text())
        if c["status"] == "terminated"
    }
    disputes = []
    for t in json.loads((out / "tickets" / "tmf621_trouble_tickets.json").read_text()):
        created = _ts(t["creationDate"])
        if t["ticketType"] != "billingDispute" or (end - created).total_seconds() < window:
            continue
        left = gone.get(t["relatedParty"][0]["partyOrPartyRole"]["id"])
        churned = left is not None and 0 <= (left - created).total_seconds() < window
        disputes.append((created, float(churned)))
    lever(disputes, go["billing_dispute"], a["customer_value"])
    for (_, m), charge in _leaks(out).items():
        benefit[m] = benefit.get(m, 0.0) + charge * a["leakage_recovery_share"]
    months = ["2026-01", "2026-02"]  # the demo period's calendar months
    total = sum(benefit.values())
    cost = a["program_cost_one_off"] + a["program_cost_per_month"] * len(months)
    cum_b = cum_c = 0.0
    payback = None
    for i, m in enumerate(months):
        cum_b += benefit.get(m, 0.0)
        cum_c += a["program_cost_per_month"] + (a["program_cost_one_off"] if i == 0 else 0.0)
        payback = payback or (m if cum_b >= cum_c else None)
    roi = truth["kpis"]["roi"]
    assert roi["benefit"] == pytest.approx(total, abs=1e-4)
    assert roi["cost"] == cost
    assert roi["roi_pct"] == pytest.approx(100 * (total - cost) / cost, abs=1e-4)
    assert roi["payback_month"] == payback


def test_predictive_truth_agrees_with_the_files(demo) -> None:
    """truth.json["predictive"]: outcomes recomputed from the landing files, the oracle AUC
    from the truth's own probabilities, and anomalies that are the planted ones."""
    from tests.predict_truth import auc

    out, truth = demo
    pred = truth["predictive"]
    assert list(pred) == [
        "scoring_window",
        "oracle_auc",
        "orders",
        "customers",
        "anomalies",
        "bill_shocks",
    ]
    s0, s1 = _ts(pred["scoring_window"]["from"]), _ts(pred["scoring_window"]["to"])
    assert (s1 - s0).days == 21 and s1 == _ts(truth["period"]["end"])
    orders = json.loads((out / "orders" / "tmf622_product_orders.json").read_text())
    assert set(pred["orders"]) == {o["id"] for o in orders}
    fell = set()
    for p in sorted((out / "orders").glob("tmf622_order_events_*.json")):
        for e in json.loads(p.read_text()):
            if e["event"]["productOrder"]["state"] in ("held", "failed"):
                fell.add(e["event"]["productOrder"]["id"])
    assert {k for k, v in pred["orders"].items() if v["fell_out"]} == fell
    scored = [o["id"] for o in orders if _ts(o["creationDate"]) >= s0]
    oracle = auc([(pred["orders"][k]["p"], pred["orders"][k]["fell_out"]) for k in scored])
    assert oracle == pytest.approx(pred["oracle_auc"]["fallout"], abs=1e-4)
    # every order says what the fallout model may know at order time
    chars = {
        c["name"] for c in orders[0]["productOrderItem"][0]["product"]["productCharacteristic"]
    }
    assert chars == {"installType", "addressStatus"}
    custs = json.loads((out / "customers" / "tmf629_customers.json").read_text())
    ended = {
        c["id"]: _ts(c["validFor"]["endDateTime"]) for c in custs if "endDateTime" in c["validFor"]
    }
    active = {c["id"] for c in custs if c["id"] not in ended or ended[c["id"]] >= s0}
    assert set(pred["customers"]) == active
    assert {k for k, v in pred["customers"].items() if v["churned"]} == {
        k for k in active if k in ended and ended[k] < s1
    }
    assert all(any(x["name"] == "customerSince" for x in c["characteristic"]) for c in custs)
    kinds = {a["kind"] for a in pred["anomalies"]}
    assert {"outage", "gradual_throughput", "gradual_access"} <= kinds
    planted = truth["planted"]["outages"] + truth["planted"]["degradations"]
    n_gradual = PROFILES["demo"].n_gradual
    assert len(pred["anomalies"]) == len(planted) + 2 * n_gradual
    # gradual degradations: as many in the training period as in the scoring window
    gradual = [a for a in pred["anomalies"] if a["kind"].startswith("gradual_")]
    assert sum(_ts(a["start_utc"]) < s0 for a in gradual) == n_gradual
    assert sum(s0 <= _ts(a["start_utc"]) for a in gradual) == n_gradual
    assert 0.5 < pred["oracle_auc"]["churn"] <= 1 and 0.5 < pred["oracle_auc"]["fallout"] <= 1


def test_contacts_truth_names_complaints_in_the_ticket_file(demo) -> None:
    """truth.planted.contacts: every caused ticket is a complaint of that customer in the
    TMF621 file; only faults that make a quality incident make avoidable contacts."""
    out, truth = demo
    contacts = truth["planted"]["contacts"]
    tickets = {
        t["id"]: t
        for t in json.loads((out / "tickets" / "tmf621_trouble_tickets.json").read_text())
    }
    assert contacts["caused"] == len(contacts["tickets"]) > 0
    assert contacts["complaints"] == sum(t["ticketType"] == "complaint" for t in tickets.values())
    assert sum(contacts["caused_by_kind"].values()) == contacts["caused"]
    for c in contacts["tickets"]:
        t = tickets[c["ticket_id"]]
        assert t["ticketType"] == "complaint"
        assert t["relatedParty"][0]["partyOrPartyRole"]["id"] == c["customer_id"]
        assert t["creationDate"] >= c["fault_start"]
        if c["fault_kind"] == "low_throughput":  # invisible to the PM rule: no quality incident
            assert not c["avoidable"]
    assert contacts["avoidable"] == sum(c["avoidable"] for c in contacts["tickets"])
    assert contacts["avoidable_home_cell"] == sum(
        c["avoidable"] and c["home_cell"] for c in contacts["tickets"]
    )


def test_bill_shocks_are_interim_bills_well_above_the_usual_one(demo) -> None:
    """truth.predictive.bill_shocks: each is an interim bill in the bills export, with one
    out-of-bundle usage rate, at least twice the customer's monthly bill, dated while the
    customer was still a customer; no other bill carries a usage rate."""
    out, truth = demo
    shocks = truth["predictive"]["bill_shocks"]
    assert len(shocks) > 10
    bills = {
        b["id"]: b
        for p in (out / "bills").glob("tmf678_customer_bills_*.json")
        for b in json.loads(p.read_text())
    }
    rates = [
        r
        for p in (out / "bills").glob("tmf678_billing_rates_*.json")
        for r in json.loads(p.read_text())
    ]
    usage = {r["bill"]["id"] for r in rates if r["type"] == "usage"}
    assert usage == {s["bill_id"] for s in shocks}
    monthly = {
        (b["relatedParty"][0]["partyOrPartyRole"]["id"], b["billNo"][:6]): b["amountDue"]["value"]
        for b in bills.values()
        if b["id"] not in usage
    }
    custs = json.loads((out / "customers" / "tmf629_customers.json").read_text())
    ended = {c["id"]: c["validFor"].get("endDateTime") for c in custs}
    for s in shocks:
        bill = bills[s["bill_id"]]
        assert bill["relatedParty"][0]["partyOrPartyRole"]["id"] == s["customer_id"]
        assert bill["billDate"][:10] == s["bill_date"]
        assert float(bill["amountDue"]["value"]) == pytest.approx(s["amount_due"])
        usual = float(monthly[(s["customer_id"], bill["billNo"][:6])])
        assert s["amount_due"] >= 1.99 * usual
        end = ended[s["customer_id"]]
        assert end is None or bill["billDate"] < end


def test_a_bill_shock_raises_the_churn_hazard() -> None:
    import numpy as np

    from orchestration.simulator.churn_risk import BILL_SHOCK_COEF, hazard_logit

    args = (np.zeros(3), np.zeros(3), np.full(3, 1000), np.zeros(3, int), np.ones(3, int))
    z = hazard_logit(*args, bill_shocks=np.array([0, 1, 2]))
    assert z[1] - z[0] == pytest.approx(BILL_SHOCK_COEF) and z[2] == pytest.approx(z[1])
