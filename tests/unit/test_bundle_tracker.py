"""一类事: a bundle's request fans out to member cases; their outcomes, re-keyed to the bundle, fold
into one BundleCompleted once every member has ended."""

from __future__ import annotations

import pytest

from agents.bundles.restaurant_outlet import bundle, form
from streams import discovery
from streams.bundle_tracker import BundleTracker
from streams.bundles import Bundle, member_applications, problems
from streams.envelope import new_envelope
from streams.events import Event
from streams.publisher import Publisher

MEMBERS = [{"flow": "open_restaurant", "case_id": "OR-1"}, {"flow": "hiring", "case_id": "H-1"}]


@pytest.fixture
def tracker(catalog, codec) -> BundleTracker:
    return BundleTracker(Publisher(catalog, codec, producer="bundles", version="1"))


def event(event_type, payload, *, case_id="BUNDLE-1", correlation=None):
    envelope = new_envelope(
        event_type=event_type, case_id=case_id, department="x", agent_version="1", subject="s"
    )
    envelope["correlation_id"] = correlation or case_id
    return Event(event_type, payload, envelope)


def requested():
    return event(
        "BundleRequested", {"bundle": "open_restaurant_outlet", "members": MEMBERS, "channel": "MOBILE"}
    )


def outcome(kind, flow, case_id, bundle_case="BUNDLE-1"):
    return event(kind, {"flow": flow}, case_id=case_id, correlation=bundle_case)


def finished(tracker, kind, flow, case_id):
    [record] = tracker.member_finished(outcome(kind, flow, case_id))
    return record.event


def test_a_members_outcome_is_re_keyed_to_its_bundle(tracker):
    completed = outcome("CaseCompleted", "hiring", "H-1")
    [record] = tracker.member_finished(completed)
    assert record.key == b"BUNDLE-1" and record.event.case_id == "BUNDLE-1"
    assert record.event.payload == {"flow": "hiring", "member_case_id": "H-1", "outcome": "COMPLETED"}
    assert record.event.causation_id == completed.event_id  # the audit chain crosses the re-keying


def test_an_outcome_handled_again_is_published_again_under_the_same_id(tracker):
    """The member agent keeps no processed ids: a redelivered outcome must make a copy that the
    bundle's agent drops by its id, not a second member event."""
    completed = outcome("CaseCompleted", "hiring", "H-1")
    [first] = tracker.member_finished(completed)
    [again] = tracker.member_finished(completed)
    assert again.event.event_id == first.event.event_id
    assert (again.key, again.event.payload) == (first.key, first.event.payload)


def test_a_case_outside_any_bundle_yields_nothing(tracker):
    assert tracker.member_finished(outcome("CaseCompleted", "hiring", "H-9", bundle_case="H-9")) == []
    assert tracker.member_finished(outcome("CaseCompleted", "hiring", "H-9", bundle_case="OTHER-1")) == []


def test_the_bundle_completes_once_when_its_last_member_ends(tracker):
    state, out = tracker.apply(None, requested())
    assert out == []
    state, out = tracker.apply(state, finished(tracker, "CaseCompleted", "open_restaurant", "OR-1"))
    assert out == []
    state, out = tracker.apply(state, finished(tracker, "CaseCompleted", "hiring", "H-1"))
    [completion] = out
    assert completion.event.type == "BundleCompleted" and completion.key == b"BUNDLE-1"
    assert completion.event["all_completed"] is True
    assert {m["case_id"]: m["outcome"] for m in completion.event["members"]} == {
        "OR-1": "COMPLETED",
        "H-1": "COMPLETED",
    }
    _, again = tracker.apply(state, finished(tracker, "CaseCompleted", "hiring", "H-1"))
    assert again == []


def test_outcomes_arriving_before_the_request_are_kept_and_a_refusal_is_reported(tracker):
    state, _ = tracker.apply(None, finished(tracker, "CaseRejected", "hiring", "H-1"))
    state, _ = tracker.apply(state, finished(tracker, "CaseCompleted", "open_restaurant", "OR-1"))
    _, out = tracker.apply(state, requested())
    [completion] = out
    assert completion.event["all_completed"] is False


def test_the_declared_bundle_is_made_of_declared_flows_and_fills_each_from_one_form():
    assert bundle in discovery.bundles()
    assert problems(bundle, discovery.flows()) == []
    applications = member_applications(bundle, form(outlet_name="阿娘面馆 南塘店", channel="NEARBY"))
    assert list(applications) == ["open_restaurant", "utility_hookup", "hiring"]
    assert applications["open_restaurant"]["business_name"] == "阿娘面馆 南塘店"
    assert applications["utility_hookup"]["uscc"] == applications["hiring"]["employer_uscc"]
    assert {a["channel"] for a in applications.values()} == {"NEARBY"}


def test_a_bundle_of_unknown_or_too_few_flows_is_a_problem():
    odd = Bundle(
        name="odd", display_name="怪", members=("newborn", "no_such_flow"), applications=lambda f: {}
    )
    assert problems(odd, discovery.flows()) == ["bundle odd: member 'no_such_flow' is no declared flow"]
    single = Bundle(name="one", display_name="一", members=("newborn",), applications=lambda f: {})
    assert "at least two" in problems(single, discovery.flows())[0]
    with pytest.raises(ValueError, match="no application for newborn"):
        member_applications(odd, {})
