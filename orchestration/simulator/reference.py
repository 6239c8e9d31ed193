"""The editable reference tables (dbt seeds) the simulator plants and computes its truth from.

The simulator reads the very CSV files dbt loads as seeds (dbt_project/seeds/), so an edited
go-live date or money assumption is reflected in the truth of a newly generated landing zone.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date
from pathlib import Path

SEEDS_DIR = Path(__file__).resolve().parents[2] / "dbt_project" / "seeds"
CATEGORIES: tuple[str, ...] = ("execution", "awareness", "analysis", "decision", "intent")
ROI_KEYS: tuple[str, ...] = (
    "loaded_labour_rate_per_hour",
    "minutes_per_human_task",
    "minutes_per_assisted_task",
    "cost_per_fallout",
    "truck_roll_cost",
    "customer_value",
    "dispute_churn_window_days",
    "leakage_recovery_share",
    "cost_per_contact",
    "notice_deflection_share",
    "program_cost_one_off",
    "program_cost_per_month",
)


@dataclass(frozen=True)
class Reference:
    """go_live: workflow -> UTC date; weights: category -> weight; roi: assumption -> value."""

    go_live: dict[str, date]
    weights: dict[str, float]
    roi: dict[str, float]


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def load_reference(seeds_dir: Path = SEEDS_DIR) -> Reference:
    """Read the three reference CSVs; raise ValueError naming the file on a missing entry."""
    go_live = {
        r["workflow"].strip(): date.fromisoformat(r["go_live_date"].strip())
        for r in _rows(seeds_dir / "automation_go_live.csv")
    }
    weights = {
        r["task_category"].strip(): float(r["weight"])
        for r in _rows(seeds_dir / "autonomy_category_weights.csv")
    }
    roi = {
        r["assumption"].strip(): float(r["value"]) for r in _rows(seeds_dir / "roi_assumptions.csv")
    }
    missing = [k for k in ROI_KEYS if k not in roi]
    if missing:
        raise ValueError(f"roi_assumptions.csv lacks {', '.join(missing)}")
    for wf in ("fault_management", "order_fulfilment", "billing_dispute"):
        if wf not in go_live:
            raise ValueError(f"automation_go_live.csv lacks workflow {wf}")
    if any(w < 0 for w in weights.values()):
        raise ValueError("autonomy_category_weights.csv: weights must be >= 0")
    return Reference(go_live, weights, roi)
