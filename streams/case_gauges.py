"""Open and overdue cases as gauges, kept current by the tracker's writes.

Each write to the tracker's `cases` table moves the counts by what the case's state adds before and
after it, so a tick costs nothing per case; after a rebalance (this worker's cases changed) the
counts are taken again from the table once. Overdue is what the deadline watch reported: a deadline
counts once it is in the case's ``missed`` (within a tick of passing). Counts cover this worker's
partitions only: with several workers, ``sum without (worker)`` is the platform's figure. A case
counts once per flow; its outstanding matters count once per department holding them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

from prometheus_client import Gauge

from streams.flows import FlowMap
from streams.tracker import OPEN

CASES_OPEN = Gauge("onething_cases_open", "Open cases in this worker's partitions", ["worker", "flow"])
CASES_OVERDUE = Gauge("onething_cases_overdue", "Open cases past the flow's SLA deadline", ["worker", "flow"])
MATTERS_OPEN = Gauge(
    "onething_matters_open",
    "Started, unfinished matters of open cases, by the department holding them",
    ["worker", "flow", "department"],
)
MATTERS_OVERDUE = Gauge(
    "onething_matters_overdue",
    "Unfinished matters past their own SLA deadline, by the department holding them",
    ["worker", "flow", "department"],
)

OPEN_CASES, LATE_CASES, OPEN_MATTERS, LATE_MATTERS = "open", "late", "matters", "late_matters"


def contributions(state: dict[str, Any] | None, flow_map: FlowMap) -> Counter:
    """What one case adds to the counts: (kind, flow) for the case, (kind, flow, department) for
    each matter it waits on."""
    counts: Counter = Counter()
    if not state or state.get("status") != OPEN or not state.get("flow"):
        return counts
    flow, missed = state["flow"], state["missed"]
    counts[(OPEN_CASES, flow)] += 1
    if "case" in missed:
        counts[(LATE_CASES, flow)] += 1
    for key in state["matter_due"]:
        if key in state["done"] or key not in state["required"] or key not in flow_map.matters:
            continue
        department = flow_map.matters[key].department
        counts[(OPEN_MATTERS, flow, department)] += 1
        if key in missed:
            counts[(LATE_MATTERS, flow, department)] += 1
    return counts


class CaseTally:
    """The counts over this worker's cases, moved by every write (``change``)."""

    def __init__(self, flow_map: FlowMap) -> None:
        self.flow_map = flow_map
        self.counts: Counter = Counter()
        self.stale = True  # nothing known until counted from the table

    def change(self, old: dict[str, Any] | None, new: dict[str, Any] | None) -> None:
        self.counts.subtract(contributions(old, self.flow_map))
        self.counts.update(contributions(new, self.flow_map))

    def rebuild(self, states: Iterable[dict[str, Any]]) -> None:
        self.counts = Counter()
        for state in states:
            self.counts.update(contributions(state, self.flow_map))
        self.stale = False


class CaseGauges:
    """Keeps every series it ever reported, so a flow or department that emptied reads 0."""

    def __init__(self, worker: str, flow_map: FlowMap) -> None:
        self.worker = worker
        self.flow_map = flow_map
        self._held: set[tuple[str, str]] = set()

    def update(self, counts: Counter) -> None:
        for flow in self.flow_map.flows:
            CASES_OPEN.labels(self.worker, flow).set(counts[(OPEN_CASES, flow)])
            CASES_OVERDUE.labels(self.worker, flow).set(counts[(LATE_CASES, flow)])
        self._held |= {(key[1], key[2]) for key, n in counts.items() if key[0] == OPEN_MATTERS and n}
        for flow, department in self._held:
            MATTERS_OPEN.labels(self.worker, flow, department).set(counts[(OPEN_MATTERS, flow, department)])
            MATTERS_OVERDUE.labels(self.worker, flow, department).set(
                counts[(LATE_MATTERS, flow, department)]
            )
