"""Readable terminal tables for the `itot` command (rich)."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text


@dataclass
class Printable:
    """A rich renderable with a `print()` that writes it to stdout."""

    table: Table

    def print(self) -> None:
        # Piped output has no terminal width; do not truncate file paths and reasons to 80 columns.
        width = None if sys.stdout.isatty() else 240
        Console(soft_wrap=False, width=width).print(self.table)


def _fmt(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:,.4f}".rstrip("0").rstrip(".")
    if isinstance(value, int):
        return f"{value:,}"
    return "" if value is None else str(value)


_ROLE_SHORT = {"Human": "H", "Human & System": "H&S", "System": "S"}


def _kpi_rows(key: str, value: Any) -> list[tuple[str, str]]:
    """(name, value) rows of one KPI: nested objects become dotted names; an autonomy month is
    one row: level, score and the five roles."""
    if isinstance(value, dict) and "level" in value and "roles" in value:
        roles = " ".join(
            f"{category}={_ROLE_SHORT.get(role, role)}" for category, role in value["roles"].items()
        )
        return [(key, f"L{value['level']} (score {_fmt(value['score'])}) · {roles}")]
    if isinstance(value, dict):
        rows: list[tuple[str, str]] = []
        for sub, subvalue in value.items():
            rows += _kpi_rows(f"{key}.{sub}", subvalue)
        return rows or [(key, "")]
    return [(key, _fmt(value))]


def kpi_table(values: dict[str, Any], title: str = "Headline KPIs") -> Printable:
    """One row per headline KPI, in the given order; nested values (per workflow and month, the
    ROI parts) are flattened to dotted names."""
    table = Table(title=title)
    table.add_column("KPI")
    table.add_column("value", justify="right")
    for key, value in values.items():
        for name, text in _kpi_rows(key, value):
            table.add_row(name, text)
    return Printable(table)


FILE_COLUMNS = ("file_path", "format", "status", "rows_in", "rows_loaded", "rows_quarantined")
DATASET_COLUMNS = ("dataset", "files", "rows_in", "rows_loaded", "rows_quarantined")


def files_table(files: list[dict[str, Any]], title: str) -> Printable:
    """One line per source file (`ledger_files.files_view` objects): format, status, rows in,
    loaded and quarantined, the datasets it feeds and its top reason, with a totals line.

    Only the file path and the reason give way to a narrow terminal (ending in "…")."""
    rows = []
    for file in files:
        reason = file["reason"]
        if file["duplicate_of"] is not None:
            reason = f"duplicate of {file['duplicate_of']}"
        datasets = ", ".join(part["dataset"] for part in file["datasets"])
        rows.append([*(_fmt(file[c]) for c in FILE_COLUMNS), datasets, _fmt(reason)])
    if files:
        sums = (sum(f[c] for f in files) for c in ("rows_in", "rows_loaded", "rows_quarantined"))
        rows.append(["total", "", "", *(_fmt(int(n)) for n in sums), "", ""])
    table = Table(title=f"{title} ({len(files)} files)")
    shrinking = ("file_path", "reason")  # collapsed first by rich; cut to one line below
    for i, column in enumerate((*FILE_COLUMNS, "datasets", "reason")):
        header = column.replace("_", " ")
        fixed = column not in shrinking
        table.add_column(
            header,
            justify="right" if column.startswith("rows_") else "left",
            no_wrap=fixed,
            min_width=max([len(header), *(len(row[i]) for row in rows)]) if fixed else None,
        )
    cut = [i for i, c in enumerate((*FILE_COLUMNS, "datasets", "reason")) if c in shrinking]
    for i, row in enumerate(rows):
        if files and i == len(rows) - 1:
            table.add_section()
        cells: list[Any] = list(row)
        for j in cut:
            cells[j] = Text(row[j], no_wrap=True, overflow="ellipsis")
        table.add_row(*cells)
    return Printable(table)


def datasets_table(datasets: list[dict[str, Any]], title: str) -> Printable:
    """One line per dataset: files feeding it, rows in, loaded, quarantined, top reason."""
    table = Table(title=title)
    for column in (*DATASET_COLUMNS, "reason"):
        numeric = column.startswith("rows_") or column == "files"
        table.add_column(column.replace("_", " "), justify="right" if numeric else "left")
    for row in datasets:
        table.add_row(*(_fmt(row[c]) for c in (*DATASET_COLUMNS, "reason")))
    return Printable(table)
