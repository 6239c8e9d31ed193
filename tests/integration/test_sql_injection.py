"""No dashboard or CLI input is formatted into SQL.

SQL-injection payloads go through every dashboard query function (every text field of the
filters), every URL query parameter of every page, and every CLI option that reaches a query or a
path. Each must run without an SQL error, change no data (content hashes of every snapshot table
before and after), and be treated as a literal: a channel literally named like a payload is found
by exactly that payload, and matches nothing else.
"""

from __future__ import annotations

import dataclasses
import inspect
import json
import re
import shutil
import subprocess
import sys
import typing
from datetime import date
from pathlib import Path

import duckdb
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from dashboards import queries
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
LITERAL_CHANNEL = "x'; drop table kpi_headline; --"
LITERAL_COMPLETED = 7


@pytest.fixture()
def snapshot(demo_copy, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The demo snapshot, plus one day of orders on a channel literally named like a payload."""
    _, data = demo_copy
    path = paths.serving_path(data)
    with duckdb.connect(str(path)) as con:
        day = con.execute("select min(date_day) from fct_orders_daily").fetchone()[0]
        con.execute(
            "insert into fct_orders_daily by name "
            "select ?::date as date_day, ? as channel, 0::bigint as orders_created, "
            "?::bigint as orders_completed, ?::bigint as orders_on_time",
            [day, LITERAL_CHANNEL, LITERAL_COMPLETED, LITERAL_COMPLETED],
        )
    monkeypatch.setenv(paths.DATA_ENV, str(data))
    st.cache_data.clear()
    yield path
    st.cache_data.clear()


def _text_fields(cls) -> dict[str, str]:
    """{field: 'str' | 'tuple'} for the fields of a filters dataclass that carry text."""
    hints = typing.get_type_hints(cls)
    out = {}
    for f in dataclasses.fields(cls):
        hint = hints[f.name]
        if hint is str or typing.get_origin(hint) is str:
            out[f.name] = "str"
        elif typing.get_origin(hint) in (tuple, list) and str in typing.get_args(hint):
            out[f.name] = "tuple"
    return out


def _query_functions() -> dict[str, inspect.Signature]:
    return {
        name: inspect.signature(fn)
        for name, fn in inspect.getmembers(queries, inspect.isfunction)
        if fn.__module__ == queries.__name__
        and not name.startswith("_")
        and any(
            p.annotation in ("Filters", "queries.Filters", queries.Filters)
            for p in inspect.signature(fn).parameters.values()
        )
    }


def _filters(start: date, end: date, text: str) -> queries.Filters:
    fields = _text_fields(queries.Filters)
    values = {name: (text,) if kind == "tuple" else text for name, kind in fields.items()}
    return queries.Filters(start=start, end=end, **values)


def test_every_query_function_treats_payloads_as_literals(snapshot: Path) -> None:
    functions = _query_functions()
    assert {"kpis", "daily_by_channel", "channel_summary"} <= set(functions)
    assert _text_fields(queries.Filters), "the filters carry no text to inject"
    before = table_hashes(snapshot)
    start, end = queries.period_bounds()

    for payload in PAYLOADS:
        filters = _filters(start, end, payload)
        for name in functions:
            result = getattr(queries, name)(filters)  # raises on any SQL error
            if name == "kpis":
                expected = LITERAL_COMPLETED if payload == LITERAL_CHANNEL else 0
                assert result["orders_completed"] == expected, (payload, result)
            elif payload != LITERAL_CHANNEL:
                assert result.is_empty() or result.select(
                    [c for c in result.columns if c.startswith("orders_completed")]
                ).sum().row(0) == (0,), (name, payload, result)
        st.cache_data.clear()

    assert table_hashes(snapshot) == before
    assert read_kpis(snapshot)  # kpi_headline is still there


def _query_param_keys() -> list[str]:
    """Every URL-bound widget key the dashboards declare (`*_KEY = "name"` constants)."""
    keys = set()
    for source in (REPO_ROOT / "dashboards").rglob("*.py"):
        keys |= set(re.findall(r'^\w+_KEY\s*=\s*"(\w+)"', source.read_text(), re.MULTILINE))
    return sorted(keys)


def test_every_url_parameter_treats_payloads_as_literals(snapshot: Path) -> None:
    keys = _query_param_keys()
    assert {"period", "channel"} <= set(keys)
    before = table_hashes(snapshot)
    kpis = read_kpis(snapshot)
    for payload in PAYLOADS:
        at = AppTest.from_file(str(APP), default_timeout=60)
        at.query_params.update({key: [payload, payload] for key in keys})
        at.run()
        assert not at.exception, (payload, [e.message for e in at.exception])
        tile = next(m for m in at.metric if m.label == "Orders completed")
        shown = int(tile.value.replace(",", ""))
        if payload == LITERAL_CHANNEL:  # the channel of that very name, and nothing else
            assert shown == LITERAL_COMPLETED
        else:  # an unknown channel is dropped, an unreadable period falls back to the whole
            assert shown == kpis["orders_completed"] + LITERAL_COMPLETED, payload
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
