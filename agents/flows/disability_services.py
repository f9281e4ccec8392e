"""残疾人服务: the certificate first; the living subsidy (low-income families) and the care subsidy
(grades 一 and 二) follow from it with no application (免申即享)."""

from __future__ import annotations

from random import Random
from typing import Any

from agents.disabled_persons import CERTIFICATE_MATERIALS as CHECKLIST
from streams import Flow, Step
from streams.samples import CHANNELS, citizen, vary, with_materials

CERTIFICATE = "disabled_persons.disability_certificate"
CATEGORIES = ("VISUAL", "HEARING", "SPEECH", "PHYSICAL", "INTELLECTUAL", "MENTAL", "MULTIPLE")


def application(**overrides: Any) -> dict[str, Any]:
    payload = {
        "applicant": citizen(Random(15)),
        "category": "PHYSICAL",
        "grade": 2,
        "low_income_household": True,
        "channel": "COUNTER",
    }
    return with_materials(CHECKLIST, payload | overrides)


def ineligible() -> list[dict[str, Any]]:
    return [{"grade": 5}]  # not a grade the assessment standard knows


def sample(rng: Random) -> dict[str, Any]:
    payload = application(
        applicant=citizen(rng),
        category=rng.choice(CATEGORIES),
        grade=rng.randint(1, 4),
        low_income_household=rng.random() < 0.4,
        channel=rng.choice(CHANNELS),
    )
    return vary(rng, payload, CHECKLIST, ineligible())


flow = Flow(
    name="disability_services",
    display_name="残疾人服务",
    lead="disabled_persons",
    application="DisabilityServicesApplicationSubmitted",
    steps=(
        Step(matter=CERTIFICATE),
        Step(matter="civil_affairs.disability_living_subsidy", after=(CERTIFICATE,)),
        Step(matter="civil_affairs.severe_disability_care_subsidy", after=(CERTIFICATE,)),
    ),
    sla_working_days=5,
    audience="individual",
    sample=sample,
)
