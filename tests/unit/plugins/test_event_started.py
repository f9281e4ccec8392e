"""A flow started by another department's fact: nobody applied, so nothing counts as an application."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from random import Random

from streams.acls import derive_acls, principal
from streams.clock import Clock
from streams.commands.measure import measure
from streams.events import Event
from streams.samples import vary
from streams.simulate import submit_cases
from streams.testing import Harness

DECEASED = "ct_" + "2" * 32
DEATH = {"deceased": DECEASED, "death_date": date(2026, 11, 30), "receiving_pension": True}


def test_the_case_counts_no_channel_material_submission_or_trip(retirement):
    from onething_retirement import flows

    case = Harness.of_flow(flows.after_death).start(DEATH)
    first, outcome = case.events[0], case.outcome
    assert (first.type, first.producer) == ("DeathRegistered", "public_security")
    assert outcome.type == "CaseCompleted"
    assert (outcome["materials"], outcome["submissions"], outcome["trips"]) == (0, 0, 0)


def test_the_same_payload_as_an_application_would_count_as_one(retirement):
    from onething_retirement import flows

    as_application = replace(flows.after_death, started_by=None)
    outcome = Harness.of_flow(as_application).start(DEATH).outcome
    assert outcome["submissions"] == 1  # what the old model counted, for a fact nobody applied for


def test_the_report_counts_no_application_and_no_online_share(retirement):
    from onething_retirement import flows

    events = [
        Event("DeathRegistered", DEATH, {"case_id": "D-1"}),
        Event("CaseCompleted", {"flow": "pension_after_death"}, {"case_id": "D-1"}),
        Event("DeathRegistered", DEATH, {"case_id": "D-2"}),
    ]
    figures = measure(events, [flows.after_death])["pension_after_death"]
    assert (figures.started, figures.completed, figures.open) == (2, 1, 1)
    assert (figures.applications, figures.online, figures.online_rate) == (0, 0, None)


class Desk:
    def __init__(self):
        self.sent = []
        self.clock = Clock()

    def submit(self, event_type, payload, *, subject, case_id, producer="service_center"):
        self.sent.append((event_type, producer))
        return Event(event_type, payload, {"case_id": case_id})


def test_a_simulation_publishes_the_fact_as_its_department_and_applications_as_the_desk(retirement):
    from onething_retirement import flows

    desk = Desk()
    submit_cases(desk, [flows.after_death, flows.retirement], cases=1, seed=1)  # type: ignore[arg-type]
    assert desk.sent == [
        ("DeathRegistered", "public_security"),
        ("RetirementApplicationSubmitted", "service_center"),
    ]


def test_a_fact_is_never_made_a_material_short():
    rng = Random(0)
    # Once vary dropped a "material" from every payload; a fact has no materials to drop (nor the key).
    assert all(vary(rng, dict(DEATH), None, []) == DEATH for _ in range(200))  # type: ignore[arg-type]


def test_the_department_writes_the_fact_and_the_desk_does_not(retirement):
    from onething_retirement import flows

    from streams import discovery

    grants = derive_acls(discovery.departments(), [flows.after_death, flows.retirement], retirement)
    writers = {
        g.principal
        for g in grants
        if g.name == "gov.public_security.death_registered.v1" and g.operation == "WRITE"
    }
    assert writers == {principal("public_security")}
    desk_writes = {g.name for g in grants if g.principal == principal("service_center")}
    assert "gov.service_center.retirement_application_submitted.v1" in desk_writes


def test_a_starting_fact_inside_another_flows_case_does_not_take_the_case_over(retirement):
    from onething_retirement import flows

    from streams import discovery

    harness = Harness(discovery.departments(), [flows.retirement, flows.after_death])
    application = {
        "retiree": DECEASED,
        "retirement_date": date(2026, 12, 1),
        "contribution_years": 20,
        "channel": "ONLINE",
        "materials": ["retirement_approval"],
    }
    state, _ = harness.tracker.apply(None, harness.published("RetirementApplicationSubmitted", application))
    death = harness.published("DeathRegistered", DEATH, producer="public_security")
    state, _ = harness.tracker.apply(state, death)
    assert (state["flow"], state["submissions"]) == ("retirement", 1)


def test_an_application_arriving_after_a_starting_fact_of_its_case_takes_the_case(retirement):
    from onething_retirement import flows

    from streams import discovery

    harness = Harness(discovery.departments(), [flows.retirement, flows.after_death])
    state, _ = harness.tracker.apply(
        None, harness.published("DeathRegistered", DEATH, producer="public_security")
    )
    application = {
        "retiree": DECEASED,
        "retirement_date": date(2026, 12, 1),
        "contribution_years": 20,
        "channel": "ONLINE",
        "materials": ["retirement_approval"],
    }
    state, _ = harness.tracker.apply(state, harness.published("RetirementApplicationSubmitted", application))
    assert (state["flow"], state["submissions"]) == ("retirement", 1)
