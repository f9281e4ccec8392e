"""The closed-loop case tracker: follows each case to completion or rejection, on deadlines.

State per case lives in a table keyed by case id (the same key as every topic, so each case's
events reach one worker, in order per topic). Events may arrive across topics in any order; the
tracker records what it sees and decides once it knows the case's flow. Deadlines are counted in
working days on the platform calendar; a timer asks `missed_deadlines` which have passed, publishes
DeadlineMissed, and folding that event in escalates the case to the supervision office.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from streams import durations, metrics
from streams.calendar import add_working_days, working_days_between
from streams.channels import IN_PERSON_CHANNELS
from streams.department import REJECTED
from streams.events import Event, NewEvent
from streams.flows import Flow, FlowMap
from streams.publisher import OutgoingRecord, Publisher

OPEN, COMPLETED, REJECTED_STATUS = "open", "completed", "rejected"
DEADLINE_MISSED = "DeadlineMissed"
CASE_COMPLETED, CASE_REJECTED = "CaseCompleted", "CaseRejected"
CASE_OUTCOMES = (CASE_COMPLETED, CASE_REJECTED)  # a case's end: exactly one of them, once
SUPERVISION_OFFICE = "督办"


def millis(value: datetime | int) -> int:
    return int(value.timestamp() * 1000) if isinstance(value, datetime) else int(value)


def from_millis(value: int) -> datetime:
    return datetime.fromtimestamp(value / 1000, UTC)


def new_case_state() -> dict[str, Any]:
    return {
        "flow": None,
        "required": [],
        "done": [],
        "rejection": None,
        "status": OPEN,
        "started_at": 0,
        "due_at": 0,
        "channel": None,
        "materials": 0,
        "submissions": 0,
        "departments": [],
        "matter_due": {},  # matter key -> deadline (ms), from when its trigger arrived
        "matter_started": {},  # matter key -> when its trigger arrived (ms)
        "missed": [],  # deadlines already reported: "case" or a matter key
        "seen": [],  # event types seen, so matters whose trigger came early still get a deadline
        "last": None,  # envelope of the latest event, the cause of anything the timer publishes
    }


class CaseTracker:
    def __init__(self, flow_map: FlowMap, publisher: Publisher) -> None:
        self.flow_map = flow_map
        self.publisher = publisher

    @property
    def event_types(self) -> set[str]:
        return self.flow_map.event_types | {REJECTED, DEADLINE_MISSED}

    def apply(
        self, state: dict[str, Any] | None, event: Event
    ) -> tuple[dict[str, Any], list[OutgoingRecord]]:
        """Fold one event into the case's state; return the new state and what to publish."""
        state = dict(state) if state else new_case_state()
        if event.type == DEADLINE_MISSED:
            return self._escalate(state, event)
        if state["status"] != OPEN:
            return state, []
        state["last"] = _cause_of(event)
        state["seen"] = sorted({*state["seen"], event.type})
        flow = self.flow_map.by_application.get(event.type)
        if flow and self._starts(flow, state["flow"]):
            self._start(state, flow.name, event)
        elif event.type == REJECTED:
            state["rejection"] = {
                "matter": f"{event['department']}.{event['matter']}",
                "reasons": list(event["reasons"]),
            }
        for matter in self.flow_map.by_done_event.get(event.type, ()):
            if matter.key not in state["done"]:
                state["done"] = [*state["done"], matter.key]
                started = state.get("matter_started", {}).get(matter.key)
                durations.observe_matter(
                    matter.department, matter.key, started, millis(event.envelope["occurred_at"])
                )
                state["departments"] = sorted({*state["departments"], matter.department})
        self._start_matters(state, event)
        return self._decide(state, event)

    def _starts(self, flow: Flow, current: str | None) -> bool:
        """Whether ``flow``'s first event (re)starts the case. A fact that starts a flow may also be a
        step of the case's own flow, even one arriving before its application: it never takes the
        case over, while the application does."""
        if current in (None, flow.name):
            return True
        return flow.starts_with_application and not self.flow_map.flows[current].starts_with_application

    def _start(self, state: dict[str, Any], flow_name: str, event: Event) -> None:
        flow = self.flow_map.flows[flow_name]
        started = from_millis(millis(event.envelope["occurred_at"]))
        state["flow"] = flow.name
        state["required"] = self.flow_map.required_matters(flow, event.payload)
        state["started_at"] = millis(started)
        state["due_at"] = millis(add_working_days(started, flow.sla_working_days))
        if flow.starts_with_application:
            state["channel"] = event.payload.get("channel")
            state["materials"] = len(event.payload.get("materials") or ())
            state["submissions"] += 1
        metrics.CASES.labels(flow.name, "started").inc()

    def _start_matters(self, state: dict[str, Any], event: Event) -> None:
        """A required matter's clock starts when its trigger is seen; a joined one's when the last is."""
        if state["flow"] is None:
            return
        now = from_millis(millis(event.envelope["occurred_at"]))
        due, started = dict(state["matter_due"]), dict(state.get("matter_started", {}))
        for key in state["required"]:
            matter = self.flow_map.matters[key]
            if key not in due and all(t in state["seen"] for t in matter.triggers):
                due[key] = millis(add_working_days(now, matter.sla_working_days))
                started[key] = millis(now)
        state["matter_due"], state["matter_started"] = due, started

    def _decide(self, state: dict[str, Any], event: Event) -> tuple[dict[str, Any], list[OutgoingRecord]]:
        if state["flow"] is None:
            return state, []
        rejection = state["rejection"]
        if rejection and rejection["matter"] in state["required"]:
            state["status"] = REJECTED_STATUS
            outcome = NewEvent(
                CASE_REJECTED,
                {"flow": state["flow"], "matter": rejection["matter"], "reasons": rejection["reasons"]},
            )
        elif all(m in state["done"] for m in state["required"]):
            state["status"] = COMPLETED
            outcome = NewEvent(CASE_COMPLETED, self._completion(state, event))
            durations.observe_case(outcome.payload)
        else:
            return state, []
        metrics.CASES.labels(state["flow"], state["status"]).inc()
        return state, [self.publisher.build(outcome, cause=event)]

    def _completion(self, state: dict[str, Any], event: Event) -> dict[str, Any]:
        completed_at = millis(event.envelope["occurred_at"])
        # A counter, a nearby station or a terminal is a trip per submission; online is none.
        trips = state["submissions"] if state["channel"] in IN_PERSON_CHANNELS else 0
        matters = [m for m in state["done"] if m in state["required"]]
        return {
            "flow": state["flow"],
            "matters": matters,
            "started_at": state["started_at"],
            "completed_at": completed_at,
            "elapsed_working_days": round(
                working_days_between(from_millis(state["started_at"]), from_millis(completed_at)), 4
            ),
            "submissions": state["submissions"],
            "trips": trips,
            "materials": state["materials"],
            # Each submission, then receiving the result.
            "steps": state["submissions"] + 1,
            "departments": state["departments"],
            "on_time": completed_at <= state["due_at"],
            "instant_matters": [m for m in matters if self.flow_map.matters[m].instant],
        }

    def missed_deadlines(self, case_id: str, state: dict[str, Any], now: datetime) -> list[OutgoingRecord]:
        """DeadlineMissed for each deadline of an open case that has passed and was not yet reported."""
        if state["status"] != OPEN or state["flow"] is None or state["last"] is None:
            return []
        now_ms = millis(now)
        flow = self.flow_map.flows[state["flow"]]
        late: list[tuple[str | None, int, float]] = []
        if now_ms > state["due_at"] and "case" not in state["missed"]:
            late.append((None, state["due_at"], flow.sla_working_days))
        for key, due in sorted(state["matter_due"].items()):
            if key not in state["done"] and now_ms > due and key not in state["missed"]:
                late.append((key, due, self.flow_map.matters[key].sla_working_days))
        cause = Event("", {}, state["last"])
        return [
            self.publisher.build(
                NewEvent(
                    DEADLINE_MISSED,
                    {
                        "flow": flow.name,
                        "matter": key,
                        "department": self.flow_map.matters[key].department if key else None,
                        "due_at": due,
                        "sla_working_days": float(sla),
                    },
                ),
                cause=cause,
                case_id=case_id,
                # Stable per deadline: a timer firing twice publishes one logical event.
                index=hash_index(key or "case"),
            )
            for key, due, sla in late
        ]

    def _escalate(self, state: dict[str, Any], event: Event) -> tuple[dict[str, Any], list[OutgoingRecord]]:
        scope = event["matter"] or "case"
        if state["status"] != OPEN or scope in state["missed"]:
            return state, []
        state["missed"] = [*state["missed"], scope]
        metrics.CASES.labels(event["flow"], "overdue").inc()
        holder = event["department"] or "、".join(
            sorted({self.flow_map.matters[m].department for m in state["required"] if m not in state["done"]})
        )
        reason = f"{scope} 超过 {event['sla_working_days']:g} 个工作日办理时限，现由 {holder} 办理"
        escalation = NewEvent(
            "CaseEscalated",
            {
                "flow": event["flow"],
                "matter": event["matter"],
                "department": event["department"],
                "escalated_to": SUPERVISION_OFFICE,
                "reason": reason,
            },
        )
        return state, [self.publisher.build(escalation, cause=event)]


def closed_summary(state: dict[str, Any]) -> dict[str, Any]:
    """What a closed case keeps: enough to ignore its late events (the log keeps the rest)."""
    return {"flow": state["flow"], "status": state["status"], "started_at": state["started_at"]}


def as_kept(state: dict[str, Any]) -> dict[str, Any]:
    """What the tracker's table keeps of a case: all of it while open, the summary once closed."""
    return state if state["status"] == OPEN else closed_summary(state)


def next_deadline(state: dict[str, Any]) -> int | None:
    """When an open case next runs late (ms): its own deadline or a matter's not yet reported."""
    if state.get("status") != OPEN or state.get("flow") is None or state.get("last") is None:
        return None
    pending = [] if "case" in state["missed"] else [state["due_at"]]
    pending += [
        due
        for key, due in state["matter_due"].items()
        if key not in state["done"] and key not in state["missed"]
    ]
    return min(pending, default=None)


def hash_index(scope: str) -> int:
    """A small stable number per deadline scope (Python's hash() differs between processes)."""
    return 1000 + sum(ord(c) * (i + 1) for i, c in enumerate(scope)) % 1_000_000


def _cause_of(event: Event) -> dict[str, Any]:
    envelope = event.envelope
    return {
        "event_id": event.event_id,
        "case_id": envelope["case_id"],
        "correlation_id": envelope["correlation_id"],
        "subject": envelope["subject"],
        "trace": envelope["trace"],
    }
