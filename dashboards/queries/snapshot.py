"""What every page reads first: the snapshot's tables, its reporting period and the values the
global filters offer (`dim_date`: one row per UTC day of the reporting period; `dim_cell`,
`dim_customer`: one row per cell / customer, the filters' regions, technologies and segments)."""

from __future__ import annotations

from datetime import date

from dashboards import data_source
from dashboards.queries.runner import fetch

# Every page needs the reporting period and the dimensions the global filters come from.
FRAME_TABLES = frozenset({"dim_date", "dim_cell", "dim_customer"})

SQL_TABLES = """
select table_name
from information_schema.tables
where table_schema = 'main'
order by table_name
"""

# dim_date is the reporting period's date spine: its first and last day are the period
# the KPIs divide by.
SQL_PERIOD = """
select min(date_day)::date as period_start, max(date_day)::date as period_end
from dim_date
"""

SQL_FILTER_OPTIONS = """
select 'region' as filter, region as value from dim_cell where region is not null
union
select 'region', region from dim_customer where region is not null
union
select 'technology', technology from dim_cell where technology is not null
union
select 'segment', segment from dim_customer where segment is not null
order by filter, value
"""


def table_names() -> set[str]:
    """Tables in the snapshot (empty if the file does not exist)."""
    if not data_source.serving_path().is_file():
        return set()
    return set(fetch(SQL_TABLES)["table_name"].to_list())


def period_bounds() -> tuple[date, date] | None:
    """First and last UTC day of the reporting period, or None if the mart is empty."""
    start, end = fetch(SQL_PERIOD).row(0)
    if start is None or end is None:
        return None
    return start, end


def filter_options() -> dict[str, list[str]]:
    """The values each global filter offers: {"region": [...], "technology": [...], ...}."""
    frame = fetch(SQL_FILTER_OPTIONS)
    options: dict[str, list[str]] = {"region": [], "technology": [], "segment": []}
    for name, value in frame.iter_rows():
        options[name].append(value)
    return options
