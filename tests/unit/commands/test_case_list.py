"""`onething cases list`: the newest cases first, filtered by flow and state, as a table or JSON."""

from __future__ import annotations

from datetime import datetime

import pytest

from agents import fire_rescue, flows, health, market_regulation, urban_management
from streams.calendar import CHINA
from streams.caselist import recent_cases
from streams.commands.cases import render
from streams.envelope import new_envelope
from streams.events import Event
from streams.flows import FlowMap
from streams.tracker import from_millis
from tests.unit.commands.running import run

DEPARTMENTS = [d.department for d in (market_regulation, urban_management, fire_rescue, health)]
FLOW_MAP = FlowMap([flows.open_restaurant], DEPARTMENTS)
MONDAY = datetime(2026, 11, 16, 9, tzinfo=CHINA)
DAY_MS = 86400 * 1000
LATER = datetime(2026, 12, 21, 9, tzinfo=CHINA)  # past the flow's 13 working days


def at(event_type: str, case_id: str, day: float, subject: str = "91330200MA2XXXXX1X", **payload) -> Event:
    envelope = new_envelope(
        event_type=event_type,
        case_id=case_id,
        department="x",
        agent_version="1",
        subject=subject,
        occurred_at=int(MONDAY.timestamp() * 1000 + day * DAY_MS),
    )
    envelope["occurred_at"] = from_millis(envelope["occurred_at"])
    return Event(event_type, payload, envelope)


def applied(case_id: str, day: float, subject: str) -> Event:
    payload = {"premises_area_m2": 80.0, "signboard_text": None, "channel": "ONLINE", "materials": []}
    return at("RestaurantApplicationSubmitted", case_id, day, subject, **payload)


def log() -> list[Event]:
    return [
        applied("OR-DONE", 0, "91330200MA2DONE001"),
        at("CaseCompleted", "OR-DONE", 1, flow="open_restaurant"),
        applied("OR-REJECTED", 1, "91330200MA2REJ0001"),
        at("CaseRejected", "OR-REJECTED", 1.5, flow="open_restaurant"),
        applied("OR-LATE", 2, "91330200MA2LATE001"),
        applied("OR-NEW", 34, "91330200MA2NEW0001"),
        at("IssueRaised", "QY-1", 3),  # not a case of any flow: never listed
    ]


def test_newest_first_with_flow_subject_state_and_opening_time():
    rows = recent_cases(log(), FLOW_MAP, LATER)
    assert [(r.case_id, r.subject, r.state) for r in rows] == [
        ("OR-NEW", "91330200MA2NEW0001", "open"),
        ("OR-LATE", "91330200MA2LATE001", "overdue"),
        ("OR-REJECTED", "91330200MA2REJ0001", "rejected"),
        ("OR-DONE", "91330200MA2DONE001", "completed"),
    ]
    assert rows[-1].opened == MONDAY and rows[-1].as_dict()["opened"] == "2026-11-16T09:00:00+08:00"
    assert rows[-1].as_dict()["ended"] == "2026-11-17T09:00:00+08:00"
    assert {r.flow for r in rows} == {"open_restaurant"}


@pytest.mark.parametrize(
    ("state", "cases"),
    [
        ("open", ["OR-NEW", "OR-LATE"]),  # overdue is still open
        ("completed", ["OR-DONE"]),
        ("done", ["OR-DONE"]),
        ("rejected", ["OR-REJECTED"]),
    ],
)
def test_filtered_by_state(state, cases):
    assert [r.case_id for r in recent_cases(log(), FLOW_MAP, LATER, state=state)] == cases


def test_limited_and_said_so():
    rows = recent_cases(log(), FLOW_MAP, LATER, limit=2)
    assert [r.case_id for r in rows] == ["OR-NEW", "OR-LATE"]
    lines = render(rows, limit=2)
    assert lines[0].split() == ["case", "flow", "subject", "state", "opened", "(Beijing)"]
    assert lines[2].split()[:4] == ["OR-NEW", "open_restaurant", "91330200MA2NEW0001", "open"]
    assert lines[-1] == "2 cases (the newest 2; --limit N for more)"


def test_an_unknown_flow_is_named_with_the_known_ones():
    with pytest.raises(LookupError, match="unknown flow open_bakery; known: open_restaurant"):
        recent_cases(log(), FLOW_MAP, LATER, flow="open_bakery")


def test_an_empty_log_says_so():
    assert render(recent_cases([], FLOW_MAP, LATER), limit=20) == ["no cases in the event log"]


def test_the_command_refuses_an_unknown_flow_before_reading_the_log(capsys):
    code, out, err = run(capsys, "cases", "list", "--flow", "open_bakery")
    assert code == 2 and out == ""
    assert err.startswith("onething: unknown flow open_bakery; known: ") and err.count("\n") == 1
