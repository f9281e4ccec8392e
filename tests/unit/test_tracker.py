"""The case tracker folds events into a case's state and decides completion or rejection."""

from datetime import datetime

from agents import (
    civil_affairs,
    fire_rescue,
    flows,
    health,
    housing,
    housing_fund,
    market_regulation,
    public_security,
    real_estate,
    urban_management,
)
from agents.flows import public_rental_housing
from streams.calendar import CHINA
from streams.envelope import new_envelope
from streams.events import Event
from streams.flows import FlowMap
from streams.publisher import Publisher
from streams.tracker import CaseTracker

DEPARTMENTS = [d.department for d in (market_regulation, urban_management, fire_rescue, health)]


def tracker(catalog, codec):
    return CaseTracker(
        FlowMap([flows.open_restaurant], DEPARTMENTS),
        Publisher(catalog, codec, producer="tracker", version="1"),
    )


def event(event_type, payload=None):
    envelope = new_envelope(
        event_type=event_type, case_id="C-1", department="x", agent_version="1", subject="s"
    )
    return Event(event_type, payload or {}, envelope)


def submitted(area, signboard="招牌"):
    return event("RestaurantApplicationSubmitted", {"premises_area_m2": area, "signboard_text": signboard})


def fold(tracker, events):
    state, outcomes = None, []
    for e in events:
        state, records = tracker.apply(state, e)
        outcomes += [r.event for r in records]
    return state, outcomes


DONE = [
    "BusinessLicenseIssued",
    "FoodBusinessPermitIssued",
    "SignboardApproved",
    "HealthCertificatesIssued",
]


def test_a_small_restaurant_completes_without_the_fire_check(catalog, codec):
    state, outcomes = fold(tracker(catalog, codec), [submitted(120.0)] + [event(t) for t in DONE])
    [completed] = outcomes
    assert completed.type == "CaseCompleted"
    assert "fire_rescue.fire_safety_inspection" not in completed.payload["matters"]
    assert state["status"] == "completed"


def test_a_large_restaurant_waits_for_the_fire_check(catalog, codec):
    t = tracker(catalog, codec)
    state, outcomes = fold(t, [submitted(420.0)] + [event(x) for x in DONE])
    assert outcomes == [] and state["status"] == "open"
    state, records = t.apply(state, event("FireSafetyInspectionPassed"))
    assert [r.event.type for r in records] == ["CaseCompleted"]


def test_events_that_overtake_the_application_still_count(catalog, codec):
    _, outcomes = fold(tracker(catalog, codec), [event(t) for t in DONE] + [submitted(50.0, None)])
    assert [o.type for o in outcomes] == ["CaseCompleted"]
    assert "urban_management.outdoor_signboard" not in outcomes[0].payload["matters"]


def test_a_rejected_required_matter_rejects_the_case_once(catalog, codec):
    rejection = event(
        "MatterRejected",
        {"department": "market_regulation", "matter": "business_license", "reasons": ["缺少材料"]},
    )
    _, outcomes = fold(
        tracker(catalog, codec),
        [submitted(50.0), rejection, rejection, event("BusinessLicenseIssued")],
    )
    [rejected] = outcomes
    assert rejected.type == "CaseRejected"
    assert rejected.payload["matter"] == "market_regulation.business_license"
    assert rejected.envelope["causation_id"] == rejection.event_id


def test_duplicate_events_complete_a_case_once(catalog, codec):
    events = [submitted(50.0, None)] + [event(t) for t in DONE] * 2
    _, outcomes = fold(tracker(catalog, codec), events)
    assert len(outcomes) == 1


# Friday 20 November 2026, 09:00 Beijing time, in milliseconds.
FRIDAY_9AM = int(datetime(2026, 11, 20, 9, tzinfo=CHINA).timestamp() * 1000)


def at_time(event_type, when_ms, payload=None):
    envelope = new_envelope(
        event_type=event_type,
        case_id="C-1",
        department="x",
        agent_version="1",
        subject="s",
        occurred_at=when_ms,
    )
    return Event(event_type, payload or {}, envelope)


def test_completion_reports_what_the_applicant_went_through(catalog, codec):
    # Applied online on Friday 09:00, done on Monday 09:00: one working day.
    friday = FRIDAY_9AM
    monday = friday + 3 * 86400 * 1000
    application = at_time(
        "RestaurantApplicationSubmitted",
        friday,
        {"premises_area_m2": 50.0, "signboard_text": None, "channel": "ONLINE", "materials": ["a", "b"]},
    )
    done = [at_time(t, monday) for t in DONE if t != "SignboardApproved"]
    _, outcomes = fold(tracker(catalog, codec), [application, *done])
    [completed] = outcomes
    payload = completed.payload
    assert payload["elapsed_working_days"] == 1.0
    assert (payload["submissions"], payload["trips"], payload["materials"], payload["steps"]) == (1, 0, 2, 2)
    assert payload["departments"] == ["health", "market_regulation"]
    assert payload["on_time"] is True


def test_a_late_matter_is_reported_once_and_escalated_to_supervision(catalog, codec):
    from datetime import timedelta

    from streams.tracker import from_millis

    t = tracker(catalog, codec)
    friday = FRIDAY_9AM
    state, _ = fold(t, [at_time("RestaurantApplicationSubmitted", friday, {"premises_area_m2": 50.0})])
    # The licence (1 working day) is still missing on Tuesday; the whole case (13 days) is not late yet.
    tuesday = from_millis(friday) + timedelta(days=4)
    [missed] = t.missed_deadlines("C-1", state, tuesday)
    assert missed.event.type == "DeadlineMissed"
    assert missed.event.payload["matter"] == "market_regulation.business_license"
    assert t.missed_deadlines("C-1", state, tuesday)[0].event.event_id == missed.event.event_id

    state, records = t.apply(state, missed.event)
    [escalated] = [r.event for r in records]
    assert escalated.type == "CaseEscalated" and escalated.payload["escalated_to"] == "督办"
    assert escalated.causation_id == missed.event.event_id
    assert "market_regulation" in escalated.payload["reason"]
    # Folded in: neither reported nor escalated again.
    assert t.missed_deadlines("C-1", state, tuesday) == []
    assert t.apply(state, missed.event)[1] == []


def test_a_completed_case_misses_no_deadline(catalog, codec):
    from datetime import timedelta

    from streams.tracker import from_millis

    t = tracker(catalog, codec)
    state, _ = fold(t, [submitted(50.0, None)] + [event(x) for x in DONE])
    assert t.missed_deadlines("C-1", state, from_millis(state["started_at"]) + timedelta(days=90)) == []


def test_a_joined_matters_clock_starts_when_its_last_trigger_arrives(catalog, codec):
    departments = [m.department for m in (housing, public_security, civil_affairs, real_estate, housing_fund)]
    rental = CaseTracker(
        FlowMap([public_rental_housing.flow], departments),
        Publisher(catalog, codec, producer="tracker", version="1"),
    )
    checks = [
        "RentalHousingHouseholdVerified",
        "RentalHousingIncomeVerified",
        "RentalHousingPropertyVerified",
        "RentalHousingFundVerified",
    ]
    opening = [event(public_rental_housing.flow.application, public_rental_housing.application())]
    state, _ = fold(rental, [*opening, event("RentalHousingApplicationAccepted"), *map(event, checks[:-1])])
    assert public_rental_housing.ELIGIBILITY not in state["matter_due"]
    state, _ = rental.apply(state, event(checks[-1]))
    assert public_rental_housing.ELIGIBILITY in state["matter_due"]
