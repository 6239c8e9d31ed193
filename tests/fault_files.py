"""Invented files for faults only (the project's rule: real files for everything else)."""

from __future__ import annotations

import json
from pathlib import Path


def ves_same_key_twice(template: Path) -> str:
    """A VES batch of two fault events equal in (eventId, sourceName, start, sequence), only the
    event name differs: a whole-dataset ERROR (a duplicate key) that no per-record rule catches.
    `template`: a VES file whose `eventList` holds a fault event (the demo's alarms)."""
    first = json.loads(template.read_text(encoding="utf-8"))["eventList"][0]
    twin = json.loads(json.dumps(first))
    twin["commonEventHeader"]["eventName"] += "_Relabelled"
    return json.dumps({"eventList": [first, twin]})
