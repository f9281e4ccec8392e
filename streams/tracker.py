"""The closed-loop case tracker: follows each case to completion or rejection.

State per case lives in a table keyed by case id (the same key as every topic, so each case's
events arrive at one worker in order per topic). Events may arrive across topics in any order; the
tracker records what it sees and decides once it knows the case's flow.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from streams import metrics
from streams.department import REJECTED
from streams.events import Event, NewEvent
from streams.flows import FlowMap
from streams.publisher import OutgoingRecord, Publisher

OPEN, COMPLETED, REJECTED_STATUS = "open", "completed", "rejected"


def _millis(value: datetime | int) -> int:
    return int(value.timestamp() * 1000) if isinstance(value, datetime) else int(value)


def new_case_state() -> dict[str, Any]:
    return {
        "flow": None,
        "required": [],
        "done": [],
        "rejection": None,
        "status": OPEN,
        "started_at": 0,
    }


class CaseTracker:
    def __init__(self, flow_map: FlowMap, publisher: Publisher) -> None:
        self.flow_map = flow_map
        self.publisher = publisher

    @property
    def event_types(self) -> set[str]:
        return self.flow_map.event_types | {REJECTED}

    def apply(
        self, state: dict[str, Any] | None, event: Event
    ) -> tuple[dict[str, Any], list[OutgoingRecord]]:
        """Fold one event into the case's state; return the new state and any case outcome."""
        state = dict(state) if state else new_case_state()
        if state["status"] != OPEN:
            return state, []
        if flow := self.flow_map.by_application.get(event.type):
            state["flow"] = flow.name
            state["required"] = self.flow_map.required_matters(flow, event.payload)
            state["started_at"] = _millis(event.envelope["occurred_at"])
            metrics.CASES.labels(flow.name, "started").inc()
        elif event.type == REJECTED:
            state["rejection"] = {
                "matter": f"{event['department']}.{event['matter']}",
                "reasons": list(event["reasons"]),
            }
        for matter in self.flow_map.by_done_event.get(event.type, ()):
            if matter.key not in state["done"]:
                state["done"] = [*state["done"], matter.key]
        return self._decide(state, event)

    def _decide(self, state: dict[str, Any], event: Event) -> tuple[dict[str, Any], list[OutgoingRecord]]:
        if state["flow"] is None:
            return state, []
        rejection = state["rejection"]
        if rejection and rejection["matter"] in state["required"]:
            state["status"] = REJECTED_STATUS
            outcome = NewEvent(
                "CaseRejected",
                {
                    "flow": state["flow"],
                    "matter": rejection["matter"],
                    "reasons": rejection["reasons"],
                },
            )
        elif all(m in state["done"] for m in state["required"]):
            state["status"] = COMPLETED
            done = [m for m in state["done"] if m in state["required"]]
            outcome = NewEvent(
                "CaseCompleted",
                {"flow": state["flow"], "matters": done, "started_at": state["started_at"]},
            )
        else:
            return state, []
        metrics.CASES.labels(state["flow"], state["status"]).inc()
        return state, [self.publisher.build(outcome, cause=event)]
