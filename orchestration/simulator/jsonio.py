"""Streaming writers for JSON arrays (one compact resource per line) and CSV files.

Files are written in a fixed order with fixed formatting so runs are byte-identical.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any


def dumps(obj: Any) -> str:
    """Compact, key-order-preserving JSON (what a list endpoint returns, minus whitespace)."""
    return json.dumps(obj, separators=(",", ":"), ensure_ascii=False)


class JsonArrayWriter:
    """Write `[` rec `,` rec ... `]` incrementally: chunks of preformatted records at a time."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._f = open(path, "w", encoding="utf-8", newline="\n")  # noqa: SIM115
        self._f.write("[")
        self._n = 0

    def write_lines(self, lines: Iterable[str]) -> None:
        for line in lines:
            self._f.write(("\n" if self._n == 0 else ",\n") + line)
            self._n += 1

    def write_block(self, block: str, count: int) -> None:
        """A block of `count` records already joined with ',\\n'."""
        if count == 0:
            return
        self._f.write(("\n" if self._n == 0 else ",\n") + block)
        self._n += count

    def close(self) -> None:
        self._f.write("\n]\n" if self._n else "]\n")
        self._f.close()


def write_json_array(path: Path, records: Iterable[Any]) -> int:
    """Write dict records as a JSON array; returns the count."""
    w = JsonArrayWriter(path)
    w.write_lines(dumps(r) for r in records)
    w.close()
    return w._n


def write_csv(path: Path, header: list[str], rows: Iterable[Iterable[Any]]) -> None:
    """RFC 4180 CSV with '\\n' line ends; fields with commas (measObjLdn) are quoted."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        w.writerows(["" if v is None else v for v in r] for r in rows)
