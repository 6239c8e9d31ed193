"""No direct identifier reaches the serving snapshot in the clear.

The identifiers are read straight from the landing zone's TMF629 customer resources (names,
e-mail addresses, MSISDNs, street addresses, as the simulator wrote them), not through the
platform's parser, and every value of every column of every snapshot table is searched for them.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from orchestration import paths

pytestmark = pytest.mark.integration

# contactMedium fields that are direct identifiers (v5 flat shape and v4 `characteristic`)
CONTACT_IDENTIFIERS = ("emailAddress", "phoneNumber", "number", "street1", "street2")
NUMBER_OR_TIME_TYPES = frozenset(
    {"DOUBLE", "FLOAT", "DECIMAL", "DATE", "TIME", "TIMESTAMP", "TIMESTAMP WITH TIME ZONE"}
    | {"INTERVAL", "BOOLEAN"}
)


def _customer_resources(value: object) -> Iterator[dict]:
    if isinstance(value, dict):
        if value.get("@type") == "Customer":
            yield value
        for child in value.values():
            yield from _customer_resources(child)
    elif isinstance(value, list):
        for child in value:
            yield from _customer_resources(child)


def _identifiers_of(customer: dict) -> Iterator[str]:
    for party in (customer, customer.get("engagedParty") or {}):
        if isinstance(party, dict) and isinstance(party.get("name"), str):
            yield party["name"]
    for medium in customer.get("contactMedium") or []:
        if not isinstance(medium, dict):
            continue
        for holder in (medium, medium.get("characteristic") or {}):
            for key in CONTACT_IDENTIFIERS:
                value = holder.get(key) if isinstance(holder, dict) else None
                if isinstance(value, str):
                    yield value


def landing_identifiers(landing: Path) -> set[str]:
    """Every direct identifier of every TMF629 Customer in the landing zone's JSON files, plus
    the forms a pipeline might normalise them to (lower-case e-mail, MSISDN digits only)."""
    found: set[str] = set()
    for path in sorted(landing.rglob("*.json")):
        if path.name == "truth.json":
            continue
        try:
            document = json.loads(path.read_text(encoding="utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            continue
        for customer in _customer_resources(document):
            for value in _identifiers_of(customer):
                value = value.strip()
                found.add(value)
                if "@" in value:
                    found.add(value.lower())
                digits = re.sub(r"\D", "", value)
                if value.lstrip("+").replace(" ", "").isdigit() and len(digits) >= 8:
                    found.update({digits, "+" + digits})
    return {v for v in found if len(v) >= 5}


def scan_snapshot(snapshot: Path, identifiers: set[str]) -> dict[str, list[str]]:
    """{"table.column": identifiers found in its values} for every column of every table."""
    pattern = re.compile(
        "|".join(re.escape(v) for v in sorted(identifiers, key=len, reverse=True)), re.IGNORECASE
    )
    hits: dict[str, list[str]] = {}
    con = duckdb.connect(str(snapshot), read_only=True)
    try:
        columns = con.execute(
            "select table_name, column_name, data_type from duckdb_columns() "
            "where database_name = current_database() order by table_name, column_index"
        ).fetchall()
        for table, column, data_type in columns:
            quoted_table = '"' + table.replace('"', '""') + '"'
            quoted_column = '"' + column.replace('"', '""') + '"'
            # The text of a number, time or flag has no letters, '@' or spaces, so the only
            # identifier it could hold is an MSISDN's digits: 8 or more in a row that are not
            # decimals (not after a '.'). Only such values are searched; text, integer and
            # nested columns are searched whole.
            digits_only = data_type.split("(")[0] in NUMBER_OR_TIME_TYPES
            prefilter = " and regexp_matches(v, '(^|[^0-9.])[0-9]{8}')" if digits_only else ""
            values = con.execute(
                f"select distinct v from (select cast({quoted_column} as varchar) as v "
                f"from {quoted_table} where {quoted_column} is not null) where true{prefilter}"
            ).fetchall()
            found = sorted({m.group(0) for (v,) in values for m in pattern.finditer(v)})
            if found:
                hits[f"{table}.{column}"] = found[:5]
    finally:
        con.close()
    return hits


def test_the_scanner_finds_a_planted_identifier(tmp_path: Path) -> None:
    snapshot = tmp_path / "planted.duckdb"
    con = duckdb.connect(str(snapshot))
    con.execute(
        "create table t (a integer, note varchar, s struct(x varchar), d double, seen timestamptz)"
    )
    con.execute(
        "insert into t values (1, 'called +46700007231 today', {'x': 'ok'}, 1.5, now()), "
        "(2, 'ok', {'x': 'EMMA.RASK1@example.net'}, 46700007231.0, now())"
    )
    con.close()
    identifiers = {"+46700007231", "46700007231", "emma.rask1@example.net", "Emma Rask"}
    assert scan_snapshot(snapshot, identifiers) == {
        "t.note": ["+46700007231"],
        "t.s": ["EMMA.RASK1@example.net"],
        "t.d": ["46700007231"],  # an MSISDN stored as a number is still found
    }


def test_no_direct_identifier_reaches_the_serving_snapshot(demo_build) -> None:
    landing, data = demo_build
    identifiers = landing_identifiers(landing)
    kinds = {
        "e-mail": sum("@" in v for v in identifiers),
        "msisdn": sum(v.startswith("+") for v in identifiers),
        "name or street": sum(" " in v and "@" not in v for v in identifiers),
    }
    assert all(n >= 100 for n in kinds.values()), kinds  # the scan really has identifiers
    assert scan_snapshot(paths.serving_path(data), identifiers) == {}
