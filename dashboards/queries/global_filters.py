"""The global filters as the queries take them (chosen in the sidebar by `dashboards/filters.py`).

They reach SQL as `$start`, `$end` (dates, both included) and `$regions`, `$technologies`,
`$segments` (lists, or NULL for all).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any


@dataclass(frozen=True)
class GlobalFilters:
    """An inclusive UTC date range and the selected regions, technologies and segments."""

    start: date
    end: date
    regions: tuple[str, ...] = ()
    technologies: tuple[str, ...] = ()
    segments: tuple[str, ...] = ()

    @property
    def days(self) -> int:
        """Days in the period, both ends included."""
        return (self.end - self.start).days + 1

    @property
    def is_sliced(self) -> bool:
        """True when a region, technology or segment is chosen (not only a period)."""
        return bool(self.regions or self.technologies or self.segments)

    def params(self) -> dict[str, Any]:
        """Bound parameters for SQL: lists, or None meaning all."""
        return {
            "start": self.start,
            "end": self.end,
            "regions": list(self.regions) or None,
            "technologies": list(self.technologies) or None,
            "segments": list(self.segments) or None,
        }

    def describe(self) -> str:
        """One line for captions and file names."""
        parts = [f"{self.start:%Y-%m-%d} to {self.end:%Y-%m-%d} ({self.days} days)"]
        for label, values in (
            ("region", self.regions),
            ("technology", self.technologies),
            ("segment", self.segments),
        ):
            if values:
                parts.append(f"{label}: {', '.join(values)}")
        return " · ".join(parts)


# Monthly marts follow the period by month: every month with at least one day in it.
MONTHS_IN_PERIOD = "month_start_date between date_trunc('month', $start) and $end"
