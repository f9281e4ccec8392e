"""Building issue events for the pure parts of the loop, at chosen moments in Beijing time."""

from __future__ import annotations

import itertools
from datetime import datetime
from typing import Any

from streams.calendar import CHINA
from streams.envelope import new_envelope
from streams.events import Event, NewEvent
from streams.identifiers import make_uscc
from streams.issues.machine import IssueMachine, State
from streams.tracker import millis

USCC = make_uscc("unit-test-enterprise")
ISSUE = "QY-UNIT"
_ids = itertools.count(1)


def at(day: int, hour: int = 9, month: int = 11) -> int:
    """Milliseconds at ``hour`` o'clock on ``day`` November 2026 (Monday the 23rd is a working day)."""
    return millis(datetime(2026, month, day, hour, tzinfo=CHINA))


def event(
    kind: str,
    payload: dict[str, Any] | None = None,
    *,
    when: int,
    case_id: str = ISSUE,
    producer: str = "test",
    subject: str = USCC,
) -> Event:
    envelope = new_envelope(
        event_type=f"gov.issues.{kind}",
        case_id=case_id,
        department=producer,
        agent_version="1",
        subject=subject,
        event_id=f"00000000-0000-4000-8000-{next(_ids):012d}",
        occurred_at=when,
    )
    return Event(kind, payload or {}, envelope)


def raised_payload(**changes: Any) -> dict[str, Any]:
    return {
        "channel": "HOTLINE_12345",
        "uscc": USCC,
        "enterprise_name": "宁波恒达精密机械有限公司",
        "category": "financing",
        "description": "企业申请的创业担保贷款已提交两个月，银行迟迟未放款",
        "tier": "COUNTY",
        "city": "ningbo",
        "difficulty": None,
        "tags": [],
        **changes,
    }


def accepted_payload(raised_at: int, **changes: Any) -> dict[str, Any]:
    return {**raised_payload(**changes), "raised_at": raised_at}


class Run:
    """Feeds events to a machine and keeps the state and everything it decided."""

    def __init__(self, machine: IssueMachine | None = None, case_id: str = ISSUE) -> None:
        self.machine = machine or IssueMachine()
        self.case_id = case_id
        self.state: State | None = None
        self.decided: list[NewEvent] = []

    def feed(self, kind: str, payload: dict[str, Any] | None = None, *, when: int) -> list[NewEvent]:
        return self.feed_event(event(kind, payload, when=when, case_id=self.case_id))

    def feed_event(self, e: Event) -> list[NewEvent]:
        self.state, outputs = self.machine.apply(self.state, e)
        self.decided += outputs
        return outputs

    def open(self, *, when: int = at(23), **changes: Any) -> list[NewEvent]:
        """Raised and accepted at ``when``: returns the assignment."""
        self.feed("IssueRaised", raised_payload(**changes), when=when)
        return self.feed("IssueAccepted", accepted_payload(when, **changes), when=when + 1000)

    @property
    def status(self) -> str:
        assert self.state is not None
        return self.state["status"]

    def types(self) -> list[str]:
        return [n.type for n in self.decided]
