"""Open and overdue cases as gauges, from the tracker's table.

Gauges are recomputed from the tracker's `cases` table each tick, over this worker's partitions
only: with several workers, ``sum without (worker)`` is the platform's figure. A case counts once
per flow; its outstanding matters count once per department holding them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from prometheus_client import Gauge

from streams.flows import FlowMap
from streams.tracker import OPEN, millis

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


def tally(
    states: Iterable[dict[str, Any]], now: datetime, flow_map: FlowMap
) -> tuple[Counter, Counter, Counter, Counter]:
    """(open by flow, overdue by flow, open matters by (flow, department), overdue matters by same)."""
    now_ms = millis(now)
    cases, late_cases, matters, late_matters = Counter(), Counter(), Counter(), Counter()
    for state in states:
        if state.get("status") != OPEN or not state.get("flow"):
            continue
        flow = state["flow"]
        cases[flow] += 1
        if now_ms > state["due_at"]:
            late_cases[flow] += 1
        for key, due in state["matter_due"].items():
            if key in state["done"] or key not in state["required"] or key not in flow_map.matters:
                continue
            holder = (flow, flow_map.matters[key].department)
            matters[holder] += 1
            if now_ms > due:
                late_matters[holder] += 1
    return cases, late_cases, matters, late_matters


class CaseGauges:
    """Keeps every series it ever reported, so a flow or department that emptied reads 0."""

    def __init__(self, worker: str, flow_map: FlowMap) -> None:
        self.worker = worker
        self.flow_map = flow_map
        self._held: set[tuple[str, str]] = set()

    def update(self, states: Iterable[dict[str, Any]], now: datetime) -> None:
        cases, late_cases, matters, late_matters = tally(states, now, self.flow_map)
        for flow in self.flow_map.flows:
            CASES_OPEN.labels(self.worker, flow).set(cases[flow])
            CASES_OVERDUE.labels(self.worker, flow).set(late_cases[flow])
        self._held |= set(matters)
        for flow, department in self._held:
            MATTERS_OPEN.labels(self.worker, flow, department).set(matters[(flow, department)])
            MATTERS_OVERDUE.labels(self.worker, flow, department).set(late_matters[(flow, department)])
