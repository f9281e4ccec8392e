"""What the dashboard's log reader holds: every open case and issue, and the latest closed ones."""

from __future__ import annotations

import math
from datetime import datetime

import pytest

from streams.case_window import CaseWindow
from streams.dashboard.cases import fold_cases, lifecycle
from streams.dashboard.snapshot import Snapshot
from streams.issues import model as m
from tests.unit.dashboard.test_pages import FLOW_MAP, LATER, application, at


def window(limit: int | None) -> CaseWindow:
    return CaseWindow(limit, lifecycle(FLOW_MAP) if limit else None)


def closed_case(case_id: str, day: float) -> list:
    return [application(case_id, 80.0), at("CaseCompleted", case_id, day, flow="open_restaurant")]


def feed(cases: CaseWindow, events: list, *, written: int = 0, read_past: float = math.inf) -> None:
    for event in events:
        cases.add(event, written)
        cases.trim(read_past)


def held_ids(cases: CaseWindow) -> set[str]:
    return {e.case_id for e in cases}


def test_a_reader_without_a_limit_keeps_every_event():
    cases = window(None)
    for n in range(300):
        feed(cases, closed_case(f"C-{n}", 1))
    assert (cases.read, cases.held, cases.let_go) == (600, 600, 0)
    assert len(cases.get("C-0")) == 2


def test_memory_holds_open_cases_and_only_the_latest_closed_ones():
    cases = window(10)
    feed(cases, [application("C-OPEN-OLD", 450.0)])  # the first event read, and never closed
    for n in range(200):
        feed(cases, closed_case(f"C-{n}", 1))
    feed(cases, [application("C-OPEN-NEW", 80.0)])

    assert held_ids(cases) == {"C-OPEN-OLD", "C-OPEN-NEW"} | {f"C-{n}" for n in range(190, 200)}
    assert (cases.read, cases.held, cases.let_go) == (402, 22, 190)
    # What is held folds as before: the open case is still there to be seen overdue.
    states = {v.case_id: v.state for v in fold_cases(list(cases), FLOW_MAP, LATER)}
    assert states["C-OPEN-OLD"] == "overdue" and states["C-199"] == "completed"


def test_a_late_event_of_a_case_let_go_is_let_go_in_turn():
    cases = window(2)
    for n in range(3):
        feed(cases, closed_case(f"C-{n}", 1))
    assert "C-0" not in held_ids(cases)
    feed(cases, [at("HealthCertificatesIssued", "C-0", 3)])  # redelivered long after: a fragment
    for n in range(3, 5):
        feed(cases, closed_case(f"C-{n}", 1))
    assert held_ids(cases) == {"C-3", "C-4"}


def test_events_read_before_their_application_join_it_and_the_case_stays_open():
    """Catching up, the reader takes topics in any order: a matter's event may come first."""
    cases = window(1)
    feed(cases, [at("BusinessLicenseIssued", "C-A", 0.1)])
    feed(cases, [application("C-A", 80.0)])
    for n in range(3):
        feed(cases, closed_case(f"C-{n}", 1))
    assert [e.type for e in cases.get("C-A")] == ["BusinessLicenseIssued", "RestaurantApplicationSubmitted"]


def test_a_completion_read_long_before_its_application_is_held_until_the_application_comes():
    """The fragment a completion makes is kept while some partition has not been read past the
    time it was written; let go sooner, its application would read as a case open for ever."""
    cases = window(1)
    feed(cases, [at("CaseCompleted", "C-A", 1, flow="open_restaurant")], written=5_000_000, read_past=1_000)
    for n in range(3):
        feed(cases, closed_case(f"C-{n}", 1), written=1_000, read_past=1_000)
    assert "C-A" in held_ids(cases)
    feed(cases, [application("C-A", 80.0)], written=4_000_000, read_past=4_000_000)
    feed(cases, closed_case("C-9", 1), written=4_000_000, read_past=4_000_000)
    assert held_ids(cases) == {"C-9"}  # C-A, complete, was let go as a closed case
    states = {v.state for v in fold_cases(list(cases), FLOW_MAP, LATER)}
    assert states == {"completed"}


def test_a_reopened_issue_is_open_work_again_and_a_merged_duplicate_is_closed():
    cases = window(1)
    feed(cases, [at(m.RAISED, "I-1", 0)])
    feed(cases, [at(m.CLOSED, "I-1", 2)])
    feed(cases, [at(m.REOPENED, "I-1", 3)])
    feed(cases, [at(m.RAISED, "I-2", 0)])
    feed(cases, [at(m.MERGED, "I-2", 1, duplicate_issue_id="I-2", surviving_issue_id="I-3")])
    feed(cases, [at(m.RAISED, "I-3", 0)])
    feed(cases, [at(m.MERGED, "I-3", 1, duplicate_issue_id="I-2", surviving_issue_id="I-3")])
    feed(cases, closed_case("C-0", 1))
    assert held_ids(cases) == {"I-1", "I-3", "C-0"}  # I-2 ended by the merge, and was let go


def test_a_closing_event_read_before_a_reopening_that_came_earlier_still_closes():
    cases = window(1)
    feed(cases, [at(m.RAISED, "I-1", 0)])
    feed(cases, [at(m.CLOSED, "I-1", 5)])  # read first, though it happened last
    feed(cases, [at(m.REOPENED, "I-1", 3)])
    feed(cases, closed_case("C-0", 1))
    assert held_ids(cases) == {"C-0"}


def test_a_limit_needs_a_positive_size_and_the_lifecycle():
    with pytest.raises(ValueError, match="positive size"):
        CaseWindow(0, lifecycle(FLOW_MAP))
    with pytest.raises(ValueError, match="lifecycle"):
        CaseWindow(5)


def test_a_case_let_go_is_read_back_for_its_timeline_and_the_pages_say_what_they_cover():
    held = closed_case("C-NEW", 1)
    gone = closed_case("C-OLD", 1)
    asked: list[str] = []

    def history(case_id: str) -> list:
        asked.append(case_id)
        return gone if case_id == "C-OLD" else []

    snapshot = Snapshot(
        (4, 0),
        held,
        [],
        [],
        FLOW_MAP,
        {},
        datetime(2026, 12, 1, tzinfo=LATER.tzinfo),
        history=history,
        let_go=1,
        closed_limit=1,
        held=2,
    )
    timeline = snapshot.case("C-OLD")
    assert timeline is not None and timeline["case"]["state"] == "completed"
    assert [e["type"] for e in timeline["events"]] == ["RestaurantApplicationSubmitted", "CaseCompleted"]
    assert snapshot.case("C-NEW") is not None and asked == ["C-OLD"]  # a held case is not read again
    assert snapshot.case("C-NOWHERE") is None
    assert snapshot.overview["window"] == {"closed_limit": 1, "let_go": 1, "held_events": 2}
    assert snapshot.overview["events"] == 4


def test_a_late_event_held_for_a_case_let_go_opens_the_whole_case_from_the_log():
    gone = [*closed_case("C-OLD", 1), at("HealthCertificatesIssued", "C-OLD", 3)]
    snapshot = Snapshot(
        (4, 0),
        gone[-1:],  # only the late copy is held
        [],
        [],
        FLOW_MAP,
        {},
        LATER,
        history=lambda case_id: gone if case_id == "C-OLD" else [],
        let_go=1,
        closed_limit=1,
    )
    timeline = snapshot.case("C-OLD")
    assert timeline is not None and timeline["case"]["state"] == "completed"
    assert len(timeline["events"]) == 3
