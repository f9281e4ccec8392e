"""就医费用报销: the claim, then the hospital's records, the review and the payment, in that order."""

from __future__ import annotations

from datetime import timedelta
from random import Random
from typing import Any

from agents.medical_insurance import CLAIM_MATERIALS as CHECKLIST
from streams import Flow, Step
from streams.samples import CHANNELS, citizen, today, vary, with_materials

CLAIM = "medical_insurance.reimbursement_claim"
RECORDS = "health.medical_records_retrieval"
REVIEW = "medical_insurance.reimbursement_review"
HOSPITALS = (("宁波市第一医院", 3), ("宁波市鄞州区人民医院", 2), ("海曙区白云街道社区卫生服务中心", 1))


def application(**overrides: Any) -> dict[str, Any]:
    payload = {
        "insured": citizen(Random(8)),
        "hospital": "宁波市第一医院",
        "hospital_level": 3,
        "visit_kind": "INPATIENT",
        "visit_date": today() - timedelta(days=20),
        "total_cost_yuan": 12000.0,
        "channel": "ONLINE",
    }
    return with_materials(CHECKLIST, payload | overrides)


def ineligible() -> list[dict[str, Any]]:
    return [
        {"visit_date": today() - timedelta(days=400)},  # past the claim period
        {"total_cost_yuan": 200.0},  # inside every deductible
    ]


def sample(rng: Random) -> dict[str, Any]:
    hospital, level = rng.choice(HOSPITALS)
    kind = rng.choice(("INPATIENT", "INPATIENT", "OUTPATIENT"))
    cost = rng.randint(3000, 80000) if kind == "INPATIENT" else rng.randint(1500, 6000)
    payload = application(
        insured=citizen(rng),
        hospital=hospital,
        hospital_level=level,
        visit_kind=kind,
        visit_date=today() - timedelta(days=rng.randint(1, 200)),
        total_cost_yuan=float(cost),
        channel=rng.choice(CHANNELS),
    )
    return vary(rng, payload, CHECKLIST, ineligible())


flow = Flow(
    name="medical_reimbursement",
    display_name="就医费用报销",
    lead="medical_insurance",
    application="MedicalReimbursementClaimSubmitted",
    steps=(
        Step(matter=CLAIM),
        Step(matter=RECORDS, after=(CLAIM,)),
        Step(matter=REVIEW, after=(RECORDS,)),
        Step(matter="bank.reimbursement_payment", after=(REVIEW,)),
    ),
    sla_working_days=10,
    audience="individual",
    sample=sample,
)
