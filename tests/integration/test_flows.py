"""Every 一件事 flow end to end on the real broker.

All cases are submitted up front, so the worker handles them side by side, then each test waits for
its own: every flow completes from its sample application; each is rejected for a rule it breaks;
a lead names every missing material in one notice, and every later department's objection before
anything is issued; conditional matters run or stay out as their
conditions say; and a newborn is insured and carded without anyone applying (免申即享).
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from importlib import import_module
from importlib.metadata import entry_points
from types import ModuleType

import pytest

from agents.flows import newborn
from streams import discovery
from streams.events import Event
from streams.flows import FlowMap
from streams.identifiers import is_valid_uscc
from streams.simulate import applicant_of
from tests.integration.test_restaurant_flow import outcome

pytestmark = pytest.mark.integration

OUTCOMES = ("CaseCompleted", "CaseRejected")
TIMEOUT = 90
MODULES: dict[str, ModuleType] = {
    ep.name: import_module(ep.module)
    for ep in sorted(entry_points(group="onething.flows"), key=lambda e: e.name)
    if ep.dist and ep.dist.name == discovery.PROJECT  # this repository's flows, whatever else is installed
}
FLOW_MAP = FlowMap([m.flow for m in MODULES.values()], discovery.departments())
# Not inside a longer word: a trace id's hex digits can hold a run of 18 decimal ones.
IDENTITY_NUMBER = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dX](?![0-9A-Za-z])")


# The other branch of each flow's conditions: matters the complete application leaves out come in,
# and some it includes stay out.
BRANCHES = {
    "open_restaurant": lambda m: {"premises_area_m2": 420.0, "signboard_text": "老宁波海鲜楼"},
    "change_enterprise_info": lambda m: {
        "new_name": None,
        "new_address": "宁波市鄞州区天童南路 588 号",
        "employee_count": 0,
    },
    "newborn": lambda m: {"claim_maternity_costs": False},
    "school_enrolment": lambda m: m.MIGRANT,
    "utility_hookup": lambda m: {"needs_gas": False, "needs_telecom": False},
    "credit_repair": lambda m: {"leave_abnormal_list": False, **m.serious()},
    "deregistration": lambda m: {**m.simplified(), "customs_registered": False},
    "social_security_card": lambda m: {
        "enable_transit": False,
        "enable_culture_pass": False,
        "activate_financial_account": False,
    },
    "disability_services": lambda m: {"grade": 3, "low_income_household": False},
    "hiring": lambda m: {"has_social_security_card": False, "personnel_file_transfer": True},
    "enterprise_relocation": lambda m: {"employee_count": 0},
    "veteran_resettlement": lambda m: {"placement": "ASSIGNED", "service_years": 14},
}


# Applications a later department refuses: 公安 the newborn's name (after 卫健's birth certificate),
# 市场监管's food permit the 8 m² premises (after the business licence).
REFUSED_DOWNSTREAM = {
    "newborn": {"child_name": "李小明"},
    "open_restaurant": {"premises_area_m2": 8.0},
}


def submit(desk, name: str, payload: dict) -> Event:
    flow = MODULES[name].flow
    return desk.submit(flow.application, payload, subject=applicant_of(payload))


@pytest.fixture(scope="module")
def cases(desk, event_log) -> Iterator[dict[tuple[str, str], Event]]:
    """Every scenario's application, keyed by (flow, scenario), submitted before any test waits."""
    submitted = {}
    for name, module in MODULES.items():
        submitted[name, "complete"] = submit(desk, name, module.application())
        submitted[name, "ineligible"] = submit(desk, name, module.application(**module.ineligible()[0]))
        if module.application()["materials"]:
            submitted[name, "no materials"] = submit(desk, name, module.application(materials=[]))
        if name in BRANCHES:
            submitted[name, "other branch"] = submit(desk, name, module.application(**BRANCHES[name](module)))
    for name, overrides in REFUSED_DOWNSTREAM.items():
        submitted[name, "refused downstream"] = submit(desk, name, MODULES[name].application(**overrides))
    started = time.monotonic()
    event_log.wait_until(
        lambda: all(any(e.type in OUTCOMES for e in event_log.events(a.case_id)) for a in submitted.values()),
        TIMEOUT,
    )
    print(f"{len(submitted)} cases finished in {time.monotonic() - started:.1f} s")
    yield submitted


def required(name: str, application: Event) -> set[str]:
    return set(FLOW_MAP.required_matters(MODULES[name].flow, application.payload))


@pytest.mark.parametrize("name", MODULES)
def test_a_complete_application_runs_every_required_matter_to_completion(name, cases, event_log):
    application = cases[name, "complete"]
    completed = outcome(event_log, application.case_id)
    assert completed.type == "CaseCompleted", completed.payload
    assert set(completed["matters"]) == required(name, application)
    events = event_log.events(application.case_id)
    # One application, one conversation, one trace; each event caused by one before it.
    assert [e.type for e in events if e.producer == "service_center"] == [MODULES[name].flow.application]
    assert {e.envelope["correlation_id"] for e in events} == {application.case_id}
    assert {e.envelope["trace"].split("-")[1] for e in events} == {
        application.envelope["trace"].split("-")[1]
    }
    ids = {e.event_id for e in events}
    assert all(e.causation_id in ids for e in events if e.event_id != application.event_id)


@pytest.mark.parametrize("name", MODULES)
def test_an_application_that_breaks_a_rule_is_rejected_with_its_reasons(name, cases, event_log):
    application = cases[name, "ineligible"]
    rejected = outcome(event_log, application.case_id)
    assert rejected.type == "CaseRejected"
    [notice] = [e for e in event_log.events(application.case_id) if e.type == "MatterRejected"]
    assert rejected["matter"] == f"{notice['department']}.{notice['matter']}"
    assert rejected["reasons"] == notice["reasons"] and re.search(r"[\u4e00-\u9fff]", notice["reasons"][0])


@pytest.mark.parametrize("name", [n for n in MODULES if MODULES[n].application()["materials"]])
def test_the_lead_names_every_missing_material_in_one_notice(name, cases, event_log):
    application = cases[name, "no materials"]
    rejected = outcome(event_log, application.case_id)
    flow = MODULES[name].flow
    [notice] = [e for e in event_log.events(application.case_id) if e.type == "MatterRejected"]
    assert rejected.type == "CaseRejected" and rejected["matter"] == flow.steps[0].matter
    assert notice["department"] == flow.lead
    assert notice["missing_materials"] == MODULES[name].application()["materials"]
    # Nothing else happened: no department worked on an incomplete case.
    assert {e.type for e in event_log.events(application.case_id)} == {
        flow.application,
        "MatterRejected",
        "CaseRejected",
    }


@pytest.mark.parametrize("name", REFUSED_DOWNSTREAM)
def test_a_later_departments_refusal_is_told_once_before_anything_is_issued(name, cases, event_log):
    application = cases[name, "refused downstream"]
    flow = MODULES[name].flow
    events = event_log.events(application.case_id)
    [notice] = [e for e in events if e.type == "MatterRejected"]
    assert notice["department"] == flow.lead
    assert outcome(event_log, application.case_id).type == "CaseRejected"
    # No birth certificate, no business licence: nothing but the application and the one answer.
    assert {e.type for e in events} == {flow.application, "MatterRejected", "CaseRejected"}


@pytest.mark.parametrize("name", BRANCHES)
def test_conditional_matters_follow_their_conditions_both_ways(name, cases, event_log):
    one, other = cases[name, "complete"], cases[name, "other branch"]
    assert required(name, one) != required(name, other)
    for application in (one, other):
        completed = outcome(event_log, application.case_id)
        assert completed.type == "CaseCompleted", completed.payload
        assert set(completed["matters"]) == required(name, application)
        done = {e.type for e in event_log.events(application.case_id)}
        for step in MODULES[name].flow.steps:
            matter = FLOW_MAP.matters[step.matter]
            assert (matter.done in done) == (step.matter in required(name, application)), step.matter


def test_a_newborn_is_insured_and_carded_without_any_application(cases, event_log):
    application = cases["newborn", "complete"]
    assert outcome(event_log, application.case_id).type == "CaseCompleted"
    events = {e.type: e for e in event_log.events(application.case_id)}
    household = events["HouseholdRegistered"]
    for granted in ("ResidentMedicalInsuranceEnrolled", "NewbornSocialSecurityCardIssued"):
        assert events[granted].causation_id == household.event_id
        assert events[granted].subject == household["child"]
    assert events["ResidentMedicalInsuranceEnrolled"]["coverage_start"] == newborn.application()["birth_date"]
    # The only thing anyone applied for was the newborn itself.
    assert [e for e in events.values() if e.producer == "service_center"] == [
        events[newborn.flow.application]
    ]


def test_no_citizen_identity_number_reaches_a_topic(cases, event_log):
    for (name, _), application in cases.items():
        for event in event_log.events(application.case_id):
            text = repr(event.payload) + repr(event.envelope)
            # An 18-digit USCC looks like an identity number; its own check character tells it apart.
            numbers = [n for n in IDENTITY_NUMBER.findall(text) if not is_valid_uscc(n)]
            assert numbers == [], (name, event.type)


# Checks that run in parallel on the accepted application, and the decision that joins them.
JOINS = {
    "school_enrolment": (
        "EnrolmentApplicationAccepted",
        ("EnrolmentHouseholdVerified", "EnrolmentResidenceVerified"),
        "StudentAdmitted",
    ),
    "public_rental_housing": (
        "RentalHousingApplicationAccepted",
        (
            "RentalHousingHouseholdVerified",
            "RentalHousingIncomeVerified",
            "RentalHousingPropertyVerified",
            "RentalHousingFundVerified",
        ),
        "RentalHousingEligibilityConfirmed",
    ),
}


@pytest.mark.parametrize("name", JOINS)
def test_checks_run_in_parallel_and_the_decision_joins_them_once(name, cases, event_log):
    accepted_type, check_types, decision_type = JOINS[name]
    application = cases[name, "complete"]
    assert outcome(event_log, application.case_id).type == "CaseCompleted"
    events = event_log.events(application.case_id)
    [accepted] = [e for e in events if e.type == accepted_type]
    checks = [e for e in events if e.type in check_types]
    assert sorted(e.type for e in checks) == sorted(check_types)
    # Parallel: every check is caused by the accepted application, none by another check.
    assert {e.causation_id for e in checks} == {accepted.event_id}
    # Joined: one decision, caused by one of the checks (the last to arrive).
    [decision] = [e for e in events if e.type == decision_type]
    assert decision.causation_id in {e.event_id for e in checks}
