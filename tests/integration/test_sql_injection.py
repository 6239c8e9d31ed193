"""No dashboard or CLI input is formatted into SQL.

SQL-injection payloads go through every dashboard query function (every text field of the
filters), every URL query parameter of every page, and every CLI option that reaches a query or a
path. Each must run without an SQL error, change no data (content hashes of every snapshot table
before and after), and be treated as a literal: a channel literally named like a payload is found
by exactly that payload, and matches nothing else.
"""

from __future__ import annotations

import importlib
import inspect
import json
import pkgutil
import re
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from dashboards import queries
from dashboards.queries import orders, service
from dashboards.queries import snapshot as snapshot_queries
from dashboards.queries.global_filters import GlobalFilters
from orchestration import paths
from orchestration.serving import read_kpis
from orchestration.serving.fingerprint import table_hashes

pytestmark = pytest.mark.integration

REPO_ROOT = Path(__file__).resolve().parents[2]
APP = REPO_ROOT / "dashboards" / "app.py"
ITOT = Path(sys.executable).parent / "itot"
PAYLOADS = (
    "' or '1'='1",
    "x'; drop table kpi_headline; --",
    "web' union select table_name, 1, 1, 1, 1, 1 from information_schema.tables --",
    '"; delete from fct_orders_daily; --',
    "$channels",
    "?",
    "'); attach '/tmp/evil.duckdb' as evil; --",
    "web%27%20OR%201%3D1",
    "\\'; select 1; --",
    "null",
)
# One order whose id and channel are literally a payload: found by exactly that payload.
LITERAL = "x'; drop table kpi_headline; --"
PAGES = sorted(p.stem for p in (REPO_ROOT / "dashboards" / "views").glob("*.py"))


@pytest.fixture()
def snapshot(demo_copy, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The demo snapshot, plus a copy of one completed order whose id and channel are LITERAL."""
    _, data = demo_copy
    path = paths.serving_path(data)
    with duckdb.connect(str(path)) as con:
        con.execute(
            "insert into srv_orders by name "
            "select * replace (? as order_id, ? as channel) from srv_orders "
            "where is_completed and completed_date > (select min(date_day) from dim_date) "
            "order by order_id limit 1",
            [LITERAL, LITERAL],
        )
    monkeypatch.setenv(paths.DATA_ENV, str(data))
    st.cache_data.clear()
    yield path
    st.cache_data.clear()


def _query_functions() -> dict[str, tuple[object, inspect.Signature]]:
    """Every public query function of the dashboards' page modules that takes an argument (not
    the runner's `fetch`: it runs the SQL those functions hand it)."""
    found = {}
    for info in pkgutil.iter_modules(queries.__path__):
        if info.name == "runner":
            continue
        module = importlib.import_module(f"{queries.__name__}.{info.name}")
        for name, fn in inspect.getmembers(module, inspect.isfunction):
            if (
                fn.__module__ == module.__name__
                and not name.startswith("_")
                and inspect.signature(fn).parameters
            ):
                found[name] = (fn, inspect.signature(fn))
    return found


def _arguments(signature: inspect.Signature, payload: str, sliced: GlobalFilters) -> dict:
    """The payload in every text argument: the filters' lists, channels, ids, names."""
    args = {}
    for name, parameter in signature.parameters.items():
        if name == "filters":
            args[name] = sliced
        elif name == "channels":
            args[name] = (payload,)
        elif parameter.annotation in (str, "str"):
            args[name] = payload
        else:
            raise AssertionError(f"no payload for {name}: {parameter.annotation}")
    return args


def _orders_completed(filters: GlobalFilters, channels: tuple[str, ...]) -> int:
    return orders.order_kpis(filters, channels)["orders_completed"]


def test_every_query_function_treats_payloads_as_literals(snapshot: Path) -> None:
    functions = _query_functions()
    assert {"order_kpis", "order_header", "cell_hourly", "cell_map"} <= set(functions)
    before = table_hashes(snapshot)
    start, end = snapshot_queries.period_bounds()
    whole = GlobalFilters(start=start, end=end)
    assert _orders_completed(whole, ()) == read_kpis(snapshot)["orders_completed"] + 1

    for payload in PAYLOADS:
        sliced = GlobalFilters(
            start=start, end=end, regions=(payload,), technologies=(payload,), segments=(payload,)
        )
        for fn, signature in functions.values():
            fn(**_arguments(signature, payload, sliced))  # raises on SQL error
        # No region, technology or segment is named like a payload: the slice is empty.
        assert _orders_completed(sliced, ()) == 0, payload
        assert service.cell_map(sliced).is_empty(), payload
        # The channel and the order id match exactly the order of that very name.
        literal = payload == LITERAL
        assert _orders_completed(whole, (payload,)) == int(literal), payload
        header = orders.order_header(payload)
        assert (header is not None and header["channel"] == LITERAL) if literal else header is None
        st.cache_data.clear()

    assert table_hashes(snapshot) == before
    assert read_kpis(snapshot)  # kpi_headline is still there


def _query_param_keys() -> list[str]:
    """Every URL-bound widget key the dashboards declare (`*_KEY = "name"` constants)."""
    keys = set()
    for source in (REPO_ROOT / "dashboards").rglob("*.py"):
        keys |= set(re.findall(r'^\w+_KEY\s*=\s*"(\w+)"', source.read_text(), re.MULTILINE))
    return sorted(keys)


def _run_page(page: str, params: dict[str, list[str]]) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.query_params.update(params)
    if page != "overview":
        at.switch_page(f"views/{page}.py")
    return at.run()


def test_every_url_parameter_treats_payloads_as_literals(snapshot: Path) -> None:
    keys = _query_param_keys()
    assert {"period", "region", "technology", "segment", "channel", "order", "cell"} <= set(keys)
    before = table_hashes(snapshot)
    completed = read_kpis(snapshot)["orders_completed"]
    for payload in PAYLOADS:
        params = {key: [payload, payload] for key in keys}
        for page in PAGES:
            at = _run_page(page, params)
            assert not at.exception, (page, payload, [e.message for e in at.exception])
            if page == "orders":
                tile = next(m for m in at.metric if m.label == "Orders completed")
                shown = int(tile.value.replace(",", ""))
                if payload == LITERAL:  # the channel of that very name, and nothing else
                    assert shown == 1
                else:  # unknown values are dropped, an unreadable period falls back to the whole
                    assert shown == completed + 1, payload
            st.cache_data.clear()
    assert table_hashes(snapshot) == before


def _itot(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(ITOT), *args], capture_output=True, text=True, timeout=300)


def test_cli_options_treat_payloads_as_literals(demo_copy, tmp_path: Path) -> None:
    _, data = demo_copy
    before = table_hashes(paths.serving_path(data))
    truth = read_kpis(paths.serving_path(data))
    for i, payload in enumerate(PAYLOADS):
        # a data folder whose name is the payload: read as a path, never as SQL
        folder = tmp_path / f"{i}-{payload.replace('/', '_')}"
        shutil.copytree(data, folder, ignore=shutil.ignore_patterns("dagster", "bronze"))
        kpis = _itot("kpis", "--data", str(folder), "--json")
        assert kpis.returncode == 0, kpis.stderr
        assert json.loads(kpis.stdout) == truth
        ledger = _itot("ledger", "--data", str(folder), "--json")
        assert ledger.returncode == 0, ledger.stderr
        assert json.loads(ledger.stdout)
        # day options are validated as dates: a payload is a usage error, never a query
        for option in ("--from-day", "--to-day"):
            run = _itot("build", "--data", str(folder), option, payload)
            assert run.returncode == 2 and "Traceback" not in run.stderr, run.stderr
        # `itot kpis --from/--to` (when the command has them): a payload is refused cleanly
        kpis_help = _itot("kpis", "--help").stdout
        for option in ("--from", "--to"):
            if re.search(rf"{option}\b(?!-)", kpis_help):
                run = _itot("kpis", "--data", str(folder), option, payload)
                assert run.returncode != 0 and "Traceback" not in run.stderr, run.stderr
                assert "Binder Error" not in run.stderr and "Parser Error" not in run.stderr
        assert table_hashes(paths.serving_path(folder)) == before
    assert table_hashes(paths.serving_path(data)) == before
