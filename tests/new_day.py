"""A new day for a built operator: its landing zone without the last day's own files, then with.

A day's own files are the dated deliveries whose file name starts the day (`..._20260228.json`,
`A20260228.0000+0000-...xml.gz`): PM, alarm and usage files. The period-long files (customers,
monthly bills and orders, tickets, surveys, the process log) stay: they were delivered before.
"""

from __future__ import annotations

import json
import re
import shutil
from datetime import date, datetime, timedelta
from pathlib import Path

STAMP = re.compile(r"(\d{8})")


def last_day(landing: Path) -> date:
    """The period's last UTC day, from the landing zone's truth.json."""
    period = json.loads((landing / "truth.json").read_text(encoding="utf-8"))["period"]
    end = datetime.fromisoformat(period["end"].replace("Z", "+00:00"))
    return (end - timedelta(days=1)).date()


def day_files(landing: Path, day: date) -> list[Path]:
    """The landing files whose name's first YYYYMMDD stamp is `day`, by relative path."""
    stamp = day.strftime("%Y%m%d")
    out = []
    for path in sorted(landing.rglob("*")):
        match = STAMP.search(path.name)
        if path.is_file() and match and match.group(1) == stamp:
            out.append(path)
    return out


def hold_back(landing: Path, day: date, side: Path) -> list[str]:
    """Move the day's own files from `landing` to `side` (same relative paths, same mtimes);
    returns their relative paths."""
    moved = []
    for path in day_files(landing, day):
        rel = path.relative_to(landing)
        (side / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.move(path, side / rel)
        moved.append(rel.as_posix())
    return moved


def deliver(side: Path, landing: Path, files: list[str]) -> None:
    """Move the held-back files back into the landing zone: the new day arrives."""
    for rel in files:
        (landing / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.move(side / rel, landing / rel)
