"""The small JSON records one build leaves for the next in `$ITOT_DATA/state/`: read whole
(a missing or unreadable one reads as empty), replaced atomically (a kill leaves the old one)."""

from __future__ import annotations

import json
import os
from pathlib import Path


def read_record(path: Path) -> dict:
    """The JSON object in `path`, or {} when it is missing, unreadable or not an object."""
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return record if isinstance(record, dict) else {}


def write_record(path: Path, record: dict) -> None:
    """Replace `path` with `record` as JSON (written aside, then renamed over it)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(f"{path.name}.tmp-{os.getpid()}")
    temp.write_text(json.dumps(record, sort_keys=True), encoding="utf-8")
    os.replace(temp, path)
