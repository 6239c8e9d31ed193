"""The same dbt models on DuckDB and Spark (issue 17): no engine-only SQL outside a dispatched
macro, portable column types in contracts and fixtures, one pseudonym hash on both engines.

A model that needs an engine difference calls a macro dispatched per adapter
(`adapter.dispatch`: `default__`/`duckdb__` and `spark__` implementations, see
dbt_project/macros/) or one of dbt's cross-database macros (`dbt.dateadd`, `dbt.datediff`,
`dbt.date_trunc`, `dbt.type_string`, ...). The checks below read the SQL a model writes itself:
Jinja (`{{ }}`, `{% %}`, `{# #}`), comments and string literals are left out.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import duckdb
import pytest
import yaml

DBT = Path(__file__).resolve().parents[2] / "dbt_project"

# SQL that DuckDB runs but Spark SQL (or most other engines) does not, with the portable way.
ENGINE_ONLY = {
    r"\bqualify\b": "QUALIFY: rank in a subquery and filter (or latest_per_key)",
    r"::": "`::` casts: cast(x as type)",
    r"\blist_\w+\s*\(": "list_ functions: a dispatched macro",
    r"\bstruct_\w+\s*\(": "struct_ functions: a dispatched macro",
    r"\bstrf?p?time\s*\(": "strftime/strptime: format_instant_id, year_month_label",
    r"\bepoch\w*\s*\(": "epoch functions: dbt.datediff",
    r"\bdate_diff\s*\(|(?<!\.)\bdatediff\s*\(": "date_diff/datediff: dbt.datediff",
    r"(?<!\.)\bdate_trunc\s*\(": "date_trunc: dbt.date_trunc",
    r"(?<!\.)\bdateadd\s*\(|\bdate_add\s*\(": "date_add: dbt.dateadd",
    r"\bdate_part\s*\(|\bdatepart\s*\(": "date_part: extract(field from x)",
    r"\barg_(max|min)\s*\(": "arg_max/arg_min: rank in a subquery",
    r"\bread_(parquet|csv\w*|json\w*)\s*\(": "read_ functions: bronze_relation",
    r"\bstring_agg\s*\(|(?<!\.)\blistagg\s*\(": "string_agg/listagg: sorted_string_agg",
    r"\bregexp_\w+\s*\(": "regular expressions: a dispatched macro (normalise_enum)",
    r"\b(sha256|md5|hash)\s*\(": "hashes: sha256_hex (pseudonymise)",
    r"\bpercentile_(cont|disc)\s*\(|\bquantile\w*\s*\(": "percentiles: percentile_cont",
    r"\binterval\s+'|\binterval\s+\d": "interval literals: dbt.dateadd",
    r"\b(try_cast|make_timestamp|make_date|to_timestamp|time_bucket)\s*\(": "a dispatched macro",
    r"\b(generate_series|range|unnest)\s*\(": "table functions: a date spine macro",
    r"\bcolumns\s*\(|\bexclude\s*\(": "star expressions: name the columns",
    r"\b(count_if|bool_and|bool_or|any_value|first|last)\s*\(": "case when inside an aggregate",
    r"\bilike\b|\bsimilar\s+to\b": "lower(x) like ...",
    r"\b(varchar|timestamptz|hugeint|uhugeint)\b": "types: dbt.type_string, type_instant",
    r"\bwith\s+time\s+zone\b|\bdouble\s+precision\b": "types: type_instant, type_double",
    r"\bstrpos\s*\(|\bstring_split\s*\(|\bstarts_with\s*\(": "dbt.position, dbt.split_part",
    # DuckDB divides decimals as doubles, Spark keeps a decimal (6 places): 1000 / 3600.0 is
    # 0.2777777777777778 on one and 0.277778 on the other.
    r"(?<![\w.])\d+\.\d+\s*[*/]|[*/]\s*\d+\.\d+(?![\w.])": (
        "a decimal literal in arithmetic is a decimal on Spark: cast(100.0 as type_double())"
    ),
}
# Column types a contract or a fixture may name: both engines accept them as written.
PORTABLE_TYPES = {"string", "bigint", "integer", "double", "boolean", "date"}
# A contract naming an instant spells out the engine's type (YAML cannot call type_instant).
INSTANT_TYPE = "{{ 'timestamp' if target.type == 'spark' else 'timestamp with time zone' }}"
ENGINE_PREFIXES = ("default__", "duckdb__")


def written_sql(text: str) -> str:
    """The SQL a file writes itself: without Jinja, comments and string literals."""
    text = re.sub(r"\{#.*?#\}", " ", text, flags=re.S)
    text = re.sub(r"\{%.*?%\}", " ", text, flags=re.S)
    text = re.sub(r"\{\{.*?\}\}", " ", text, flags=re.S)
    text = re.sub(r"--[^\n]*", " ", text)
    text = re.sub(r"/\*.*?\*/", " ", text, flags=re.S)
    return re.sub(r"'(?:[^']|'')*'", "''", text)


def engine_only_uses(sql: str) -> list[str]:
    """The engine-only constructs `sql` uses (the portable way for each)."""
    body = written_sql(sql).lower()
    return [advice for pattern, advice in ENGINE_ONLY.items() if re.search(pattern, body)]


def macro_bodies(text: str) -> dict[str, str]:
    """Every macro of a macro file: name -> body."""
    return {
        m.group(1): m.group(2)
        for m in re.finditer(
            r"\{%-?\s*macro\s+(\w+)\s*\(.*?%\}(.*?)\{%-?\s*endmacro\s*-?%\}", text, flags=re.S
        )
    }


def test_no_model_uses_engine_only_sql() -> None:
    offenders = {
        str(path.relative_to(DBT)): uses
        for path in sorted((DBT / "models").rglob("*.sql"))
        if (uses := engine_only_uses(path.read_text(encoding="utf-8")))
    }
    assert not offenders, (
        "models use DuckDB-only SQL outside a dispatched macro (move it into a macro with "
        f"adapter.dispatch, or use dbt's cross-database macros): {offenders}"
    )


def test_engine_only_sql_lives_in_dispatched_implementations() -> None:
    """A macro that is not a `default__`/`duckdb__` implementation writes portable SQL; each
    such implementation that is engine-only has a `spark__` sibling."""
    macros: dict[str, str] = {}
    for path in sorted((DBT / "macros").rglob("*.sql")):
        macros.update(macro_bodies(path.read_text(encoding="utf-8")))
    assert macros, "no macros found"
    generic = {
        name: uses
        for name, body in macros.items()
        if not name.startswith(ENGINE_PREFIXES)
        and not name.startswith("spark__")
        and (uses := engine_only_uses(body))
    }
    assert not generic, f"engine-only SQL in macros that are not dispatched: {generic}"
    without_spark = [
        name
        for name, body in macros.items()
        if name.startswith(ENGINE_PREFIXES)
        and engine_only_uses(body)
        and f"spark__{name.split('__', 1)[1]}" not in macros
    ]
    assert not without_spark, f"DuckDB-only implementations without a spark__ one: {without_spark}"


@pytest.mark.parametrize(
    "sql",
    [
        "select * from t qualify row_number() over (order by a) = 1",
        "select a::bigint from t",
        "select strftime(ts, '%Y') from t",
        "select arg_max(a, b) from t",
        "select * from read_parquet('x.parquet')",
        "select date_diff('day', a, b) from t",
        "select epoch(ts) from t",
        "select list_sort(l) from t",
        "select cast(a as varchar) from t",
        "select string_agg(a, ',') from t",
        "select 100.0 * a / b from t",
        "select seconds / 3600.0 from t",
    ],
)
def test_the_lint_catches_duckdb_only_sql(sql: str) -> None:
    assert engine_only_uses(sql)


@pytest.mark.parametrize(
    "sql",
    [
        "select {{ dbt.datediff('a', 'b', 'day') }} from t -- qualify in a comment",
        "select 'strftime(' as label, cast(a as {{ dbt.type_string() }}) from {{ ref('x') }}",
        "{# read_parquet( in a Jinja comment #} select extract(hour from ts) from t",
    ],
)
def test_the_lint_passes_portable_sql(sql: str) -> None:
    assert engine_only_uses(sql) == []


def _yaml_files() -> list[Path]:
    return sorted([*(DBT / "models").rglob("*.yml"), *(DBT / "seeds").rglob("*.yml")])


def test_contract_and_seed_types_are_portable() -> None:
    bad = []
    for path in _yaml_files():
        document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for node in [*document.get("models", []), *document.get("seeds", [])]:
            for column in node.get("columns", []) or []:
                declared = column.get("data_type")
                if declared is not None and declared not in PORTABLE_TYPES | {INSTANT_TYPE}:
                    bad.append(f"{node['name']}.{column['name']}: {declared}")
            types = (node.get("config") or {}).get("column_types", {})
            bad += [f"{node['name']}.{c}: {t}" for c, t in types.items() if t not in PORTABLE_TYPES]
    assert not bad, f"types only DuckDB accepts (use {sorted(PORTABLE_TYPES)}): {bad}"


def test_unit_test_fixtures_use_portable_sql() -> None:
    offenders = {}
    for path in _yaml_files():
        document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for unit_test in document.get("unit_tests", []) or []:
            fixtures = [*unit_test.get("given", []), unit_test.get("expect", {})]
            for fixture in fixtures:
                rows = fixture.get("rows")
                if fixture.get("format") == "sql" and isinstance(rows, str):
                    if uses := engine_only_uses(rows):
                        offenders[f"{path.name}:{unit_test['name']}"] = uses
    assert not offenders, f"unit-test fixtures with DuckDB-only SQL: {offenders}"


def test_pseudonym_hash_is_plain_sha256_hex_on_duckdb() -> None:
    """`pseudonymise` hashes with sha256 (DuckDB) and sha2(.., 256) (Spark): both are the
    64 lower-case hex digits of SHA-256 over the UTF-8 text, which Python computes here; the
    Spark build's unit test of stg_customer__customers and the serving-table comparison
    (tests/integration/test_spark_build.py) check the Spark side."""
    macros = (DBT / "macros" / "pseudonymise.sql").read_text(encoding="utf-8")
    bodies = macro_bodies(macros)
    assert "sha256(" in bodies["default__sha256_hex"]
    assert "sha2(" in bodies["spark__sha256_hex"] and ", 256)" in bodies["spark__sha256_hex"]
    text = "itot-public-demo-key-NOT-A-SECRET|Émilie Ström"
    got = duckdb.execute("select sha256(?)", [text]).fetchone()[0]
    assert got == hashlib.sha256(text.encode("utf-8")).hexdigest()
