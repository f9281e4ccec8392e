"""军人退役: reporting in first; then the settlement allowance (自主就业), the restored household and a
new identity card, pension and medical insurance continuation and reserve registration in parallel."""

from __future__ import annotations

from datetime import date, timedelta
from random import Random
from typing import Any

from agents.veterans import REPORTING_MATERIALS as CHECKLIST
from streams import Flow, Step
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

REPORTING = "veterans.veteran_reporting"
HOUSEHOLD = "public_security.veteran_household_restoration"


def application(**overrides: Any) -> dict[str, Any]:
    payload = {
        "veteran": citizen(Random(19), date(2001, 4, 12)),
        "veteran_name": "刘勇",
        "birth_date": date(2001, 4, 12),
        "discharged_on": today() - timedelta(days=10),
        "service_years": 5,
        "rank_kind": "NCO",
        "placement": "SELF_EMPLOYED",
        "settlement_division": "330203",
        "channel": "COUNTER",
    }
    return with_materials(CHECKLIST, payload | overrides)


def ineligible() -> list[dict[str, Any]]:
    return [
        {"discharged_on": today() - timedelta(days=45)},  # reported too late
        {"placement": "ASSIGNED"},  # 5 years' service does not qualify for an assigned job
    ]


def sample(rng: Random) -> dict[str, Any]:
    rank = rng.choice(("CONSCRIPT", "CONSCRIPT", "NCO", "OFFICER"))
    years = 2 if rank == "CONSCRIPT" else rng.randint(3, 20)
    birthday = born(rng, 20, 42)
    payload = application(
        veteran=citizen(rng, birthday),
        veteran_name=person_name(rng),
        birth_date=birthday,
        discharged_on=today() - timedelta(days=rng.randint(1, 28)),
        service_years=years,
        rank_kind=rank,
        placement="ASSIGNED" if rank == "NCO" and years >= 12 and rng.random() < 0.5 else "SELF_EMPLOYED",
        settlement_division=rng.choice(sorted(DISTRICTS)),
        channel=rng.choice(CHANNELS),
    )
    return vary(rng, payload, CHECKLIST, ineligible())


flow = Flow(
    name="veteran_resettlement",
    display_name="军人退役",
    lead="veterans",
    application="VeteranReportSubmitted",
    steps=(
        Step(matter=REPORTING),
        Step(matter="veterans.settlement_allowance", after=(REPORTING,)),
        Step(matter=HOUSEHOLD, after=(REPORTING,)),
        Step(matter="public_security.veteran_identity_card", after=(HOUSEHOLD,)),
        Step(matter="human_resources.veteran_pension_transfer", after=(REPORTING,)),
        Step(matter="medical_insurance.veteran_medical_insurance_transfer", after=(REPORTING,)),
        Step(matter="armed_forces.reserve_registration", after=(REPORTING,)),
    ),
    sla_working_days=6,
    audience="individual",
    sample=sample,
)
