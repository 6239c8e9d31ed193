"""The automation program: who (human, system, both) performs each task, before and after the
workflow's go-live date. Shares are probabilities per task category (3GPP TS 28.100 categories).
"""

from __future__ import annotations

import numpy as np

RESOURCE_TYPES = ("human", "human+system", "system")
# category -> (P(human), P(human+system), P(system)) before / after go-live
BEFORE = {
    "execution": (0.30, 0.35, 0.35),
    "awareness": (0.40, 0.40, 0.20),
    "analysis": (0.60, 0.30, 0.10),
    "decision": (0.70, 0.25, 0.05),
    "intent": (0.90, 0.10, 0.00),
}
AFTER = {
    "execution": (0.02, 0.08, 0.90),
    "awareness": (0.02, 0.06, 0.92),
    "analysis": (0.10, 0.30, 0.60),
    "decision": (0.20, 0.40, 0.40),
    "intent": (0.50, 0.45, 0.05),
}
SYSTEMS = {
    "order_fulfilment": "OrderOrchestrator",
    "fault_management": "AIOpsEngine",
    "billing_dispute": "BillingAssistant",
}
TEAMS = {"order_fulfilment": "agent", "fault_management": "noc", "billing_dispute": "billing"}

# (case_id, workflow, activity, epoch s, resource, resource_type, task_category)
ProcessEvent = tuple[str, str, str, int, str, str, str]


class TaskAssigner:
    """Draws the performer of each task; one random stream per workflow keeps runs stable."""

    def __init__(self, rng: np.random.Generator) -> None:
        self.rng = rng

    def event(
        self,
        case_id: str,
        workflow: str,
        activity: str,
        t: int,
        category: str,
        automated: bool,
        force: str | None = None,
    ) -> ProcessEvent:
        probs = (AFTER if automated else BEFORE)[category]
        rtype = force or RESOURCE_TYPES[int(self.rng.choice(3, p=probs))]
        person = f"{TEAMS[workflow]}-{int(self.rng.integers(1, 41)):03d}"
        if rtype == "system":
            resource = SYSTEMS[workflow]
        elif rtype == "human":
            resource = person
        else:
            resource = f"{person}+{SYSTEMS[workflow]}"
        return (case_id, workflow, activity, int(t), resource, rtype, category)
