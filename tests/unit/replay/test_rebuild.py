"""Rebuilding the issue projection from the log folds what the live loop folded."""

from __future__ import annotations

from types import SimpleNamespace

from streams.issues import model as m
from streams.issues.machine import IssueMachine
from streams.replay.reader import Located
from streams.replay.rebuild import ISSUES, fold_projections
from streams.tracker import millis
from tests.unit.issues.helpers import ISSUE, Run, accepted_payload, at, event, raised_payload
from tests.unit.issues.test_machine import answered


def located(e, offset: int) -> Located:
    return Located(e, e.topic, 0, offset, millis(e.envelope["occurred_at"]), 1, b"", e.case_id.encode())


def test_an_answer_the_loop_refused_after_the_close_is_not_folded_in_before_it():
    """Two answers on one topic, the rating on another: the loop took the rating first, closed
    the issue and refused the second answer, which the broker had taken before the rating."""
    run = Run()
    taken = [
        event(m.RAISED, raised_payload(), when=at(23)),
        event(m.ACCEPTED, accepted_payload(at(23)), when=at(23) + 1000),
        event(
            m.HANDLING_STARTED,
            {"department": "financial_affairs", "handler": "科", "note": ""},
            when=at(23, 11),
        ),
        event(m.ANSWERED, answered(), when=at(24)),
        event(m.RATED, {"rating": "SATISFIED", "comment": ""}, when=at(25)),
    ]
    for e in taken:
        run.feed_event(e)
    second = event(m.ANSWERED, answered(), when=at(24, 15))
    [refusal] = run.feed_event(second)
    assert run.status == "closed" and refusal.type == m.REFUSED
    refused = event(m.REFUSED, refusal.payload, when=at(25, 10), producer=m.LOOP)
    refused.envelope["causation_id"] = second.event_id

    records = [located(e, offset) for offset, e in enumerate([*taken, second, refused])]
    no_cases = SimpleNamespace(event_types=frozenset())
    rebuilt = fold_projections(records, no_cases, IssueMachine())  # type: ignore[arg-type]
    assert rebuilt[ISSUES][ISSUE]["answers"] == run.state["answers"] == 1
    assert rebuilt[ISSUES][ISSUE]["status"] == "closed"
