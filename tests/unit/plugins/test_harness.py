"""streams.testing: a plug-in's department and flows in memory, the way its own tests use them."""

from __future__ import annotations

from datetime import date
from random import Random

import pytest

from streams.publisher import InvalidOutput
from streams.testing import Harness

RETIREE = "ct_" + "1" * 32


def application(**changes):
    return {
        "retiree": RETIREE,
        "retirement_date": date(2026, 12, 1),
        "contribution_years": 20,
        "channel": "COUNTER",
        "materials": ["retirement_approval"],
    } | changes


def test_an_extension_given_its_trigger_emits_its_done_event(retirement):
    from onething_retirement.human_resources import extension

    [granted] = Harness([extension]).give("RetirementApplicationSubmitted", application())
    assert granted.type == "PensionGranted"
    assert granted.payload == {"retiree": RETIREE, "monthly_pension_yuan": 2400.0}
    assert granted.producer == "human_resources"


def test_a_rejection_names_its_reasons(retirement):
    from onething_retirement.human_resources import extension

    [rejected] = Harness([extension]).give(
        "RetirementApplicationSubmitted", application(contribution_years=9)
    )
    assert rejected.type == "MatterRejected"
    assert rejected["reasons"] == ["累计缴费 9 年，不满 15 年"]
    assert (rejected["department"], rejected["matter"]) == ("human_resources", "retirement_pension")


def test_a_condition_that_does_not_hold_emits_nothing(retirement):
    from onething_retirement.human_resources import extension

    death = {"deceased": RETIREE, "death_date": date(2026, 11, 30), "receiving_pension": False}
    assert Harness([extension]).give("DeathRegistered", death, producer="public_security") == []


def test_an_event_that_does_not_fit_its_schema_fails_as_it_would_on_kafka(retirement):
    from onething_retirement.human_resources import extension

    with pytest.raises(InvalidOutput, match="RetirementApplicationSubmitted has no field shoe_size"):
        Harness([extension]).give("RetirementApplicationSubmitted", application(shoe_size=42))


def test_a_flow_runs_to_its_outcome_with_the_tracker(retirement):
    from onething_retirement import flows

    case = Harness.of_flow(flows.retirement).start(application())
    assert case.types == ["RetirementApplicationSubmitted", "PensionGranted", "CaseCompleted"]
    assert case.outcome["matters"] == ["human_resources.retirement_pension"]
    assert case.outcome["trips"] == 1 and case.outcome["materials"] == 1


def test_a_flow_sample_runs_in_memory(retirement):
    from onething_retirement import flows

    harness = Harness.of_flow(flows.after_death)
    case = harness.start(flows.death_sample(Random(3)))
    assert case.outcome.type == "CaseCompleted"
