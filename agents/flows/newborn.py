"""新生儿出生: the birth certificate first; the vaccination card and the 户口 after it; resident medical
insurance and the social-security card follow the 户口 with no application (免申即享)."""

from __future__ import annotations

from datetime import timedelta
from random import Random
from typing import Any

from agents.health import NEWBORN_MATERIALS as CHECKLIST
from streams import Figures, Flow, Published, Step
from streams.samples import (
    CHANNELS,
    DISTRICTS,
    born,
    citizen,
    person_name,
    today,
    vary,
    with_materials,
)

BIRTH_CERTIFICATE = "health.birth_certificate"
HOUSEHOLD = "public_security.birth_registration"
HOSPITALS = ("宁波市妇女儿童医院", "宁波大学附属第一医院", "宁波市第二医院", "鄞州区第二医院")


def application(**overrides: Any) -> dict[str, Any]:
    payload = {
        "mother": citizen(Random(4)),
        "father": citizen(Random(5)),
        "mother_name": "陈静",
        "father_name": "王强",
        "child_name": "王小明",
        "sex": "MALE",
        "birth_date": today() - timedelta(days=3),
        "birth_weight_g": 3300,
        "hospital": "宁波市妇女儿童医院",
        "delivery_mode": "VAGINAL",
        "delivery_cost_yuan": 2800.0,
        "household_division": "330203",
        "claim_maternity_costs": True,
        "channel": "ONLINE",
    }
    return with_materials(CHECKLIST, payload | overrides)


def ineligible() -> list[dict[str, Any]]:
    return [
        {"child_name": "欧小明"},  # neither parent's surname (no sample surname is 欧)
        {"birth_weight_g": 9000},  # not a plausible hospital record
        {"birth_date": today() + timedelta(days=2)},  # not born yet
    ]


def sample(rng: Random) -> dict[str, Any]:
    father_name, mother_name = person_name(rng), person_name(rng)
    surname = rng.choice((father_name, father_name, mother_name))[0]
    division = rng.choice(sorted(DISTRICTS))
    payload = application(
        mother=citizen(rng, born(rng, 22, 40), division),
        father=citizen(rng, born(rng, 22, 45), division),
        mother_name=mother_name,
        father_name=father_name,
        child_name=person_name(rng, surname),
        sex=rng.choice(("MALE", "FEMALE")),
        birth_date=today() - timedelta(days=rng.randint(1, 25)),
        birth_weight_g=rng.randint(2100, 4300),
        hospital=rng.choice(HOSPITALS),
        delivery_mode=rng.choice(("VAGINAL", "VAGINAL", "CAESAREAN")),
        delivery_cost_yuan=float(rng.randint(0, 9000)),
        household_division=division,
        claim_maternity_costs=rng.random() < 0.6,
        channel=rng.choice(CHANNELS),
    )
    return vary(rng, payload, CHECKLIST, ineligible())


flow = Flow(
    name="newborn",
    display_name="新生儿出生",
    lead="health",
    application="NewbornApplicationSubmitted",
    steps=(
        Step(matter=BIRTH_CERTIFICATE),
        Step(matter="disease_control.vaccination_card", after=(BIRTH_CERTIFICATE,)),
        Step(matter=HOUSEHOLD, after=(BIRTH_CERTIFICATE,)),
        Step(matter="medical_insurance.newborn_enrolment", after=(HOUSEHOLD,)),
        Step(matter="human_resources.newborn_social_security_card", after=(HOUSEHOLD,)),
        Step(matter="medical_insurance.maternity_reimbursement", after=(BIRTH_CERTIFICATE,)),
    ),
    sla_working_days=5,
    audience="individual",
    published=Published(
        source="青海",
        before=Figures(materials=9, trips=4, steps=16, working_days=32),
        after=Figures(materials=2, trips=1, steps=3, working_days=5),
    ),
    sample=sample,
)
