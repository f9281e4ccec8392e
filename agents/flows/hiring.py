"""员工录用: employment registration, then social insurance, medical insurance, the personnel file
(when one is transferred) and a social-security card (when the employee has none) in parallel."""

from __future__ import annotations

from datetime import date, timedelta
from random import Random
from typing import Any

from agents.human_resources import HIRING_MATERIALS as CHECKLIST
from streams import Flow, Step
from streams.samples import CHANNELS, born, citizen, enterprise, today, vary, with_materials

REGISTRATION = "human_resources.employment_registration"


def application(**overrides: Any) -> dict[str, Any]:
    payload = {
        "employer_uscc": enterprise(Random(16)),
        "employee": citizen(Random(17), date(1998, 7, 9)),
        "employee_birth_date": date(1998, 7, 9),
        "contract_start": today() - timedelta(days=5),
        "monthly_wage_yuan": 6500.0,
        "has_social_security_card": True,
        "personnel_file_transfer": False,
        "channel": "ONLINE",
    }
    return with_materials(CHECKLIST, payload | overrides)


def ineligible() -> list[dict[str, Any]]:
    return [
        {"monthly_wage_yuan": 2000.0},  # below the minimum wage
        {"employee_birth_date": today() - timedelta(days=15 * 365)},  # under 16
        {"contract_start": today() - timedelta(days=60)},  # registered too late
    ]


def sample(rng: Random) -> dict[str, Any]:
    birthday = born(rng, 18, 55)
    payload = application(
        employer_uscc=enterprise(rng),
        employee=citizen(rng, birthday),
        employee_birth_date=birthday,
        contract_start=today() - timedelta(days=rng.randint(0, 20)),
        monthly_wage_yuan=float(rng.randint(2600, 30000)),
        has_social_security_card=rng.random() < 0.8,
        personnel_file_transfer=rng.random() < 0.3,
        channel=rng.choice(CHANNELS),
    )
    return vary(rng, payload, CHECKLIST, ineligible())


flow = Flow(
    name="hiring",
    display_name="员工录用",
    lead="human_resources",
    application="EmployeeHiringSubmitted",
    steps=(
        Step(matter=REGISTRATION),
        Step(matter="human_resources.employee_social_insurance_enrolment", after=(REGISTRATION,)),
        Step(matter="medical_insurance.employee_medical_insurance_enrolment", after=(REGISTRATION,)),
        Step(matter="human_resources.personnel_file_transfer", after=(REGISTRATION,)),
        Step(matter="human_resources.employee_social_security_card", after=(REGISTRATION,)),
    ),
    sla_working_days=6,
    sample=sample,
)
