"""企业破产信息核查: the administrator's one query, accepted by the court, answered by seven
departments in parallel; results within 3 working days."""

from __future__ import annotations

from random import Random
from typing import Any

from agents.court import INQUIRY_MATERIALS as CHECKLIST
from streams import Figures, Flow, Published, Step
from streams.samples import CHANNELS, enterprise, vary, with_materials

INQUIRY = "court.bankruptcy_inquiry"
QUERIES = (
    "market_regulation.bankruptcy_registration_query",
    "public_security.bankruptcy_vehicle_query",
    "real_estate.bankruptcy_property_query",
    "housing.bankruptcy_housing_query",
    "human_resources.bankruptcy_social_insurance_query",
    "medical_insurance.bankruptcy_medical_insurance_query",
    "housing_fund.bankruptcy_housing_fund_query",
)


def application(**overrides: Any) -> dict[str, Any]:
    payload = {
        "debtor_uscc": enterprise(Random(12)),
        "debtor_name": "宁波东海机械制造有限公司",
        "case_number": "（2024）浙02破12号",
        "administrator": "浙江甬信律师事务所",
        "channel": "ONLINE",
    }
    return with_materials(CHECKLIST, payload | overrides)


def ineligible() -> list[dict[str, Any]]:
    return [{"case_number": "（2024）浙02民初12号"}]  # a civil case, not a bankruptcy


def sample(rng: Random) -> dict[str, Any]:
    payload = application(
        debtor_uscc=enterprise(rng),
        case_number=f"（{rng.choice((2023, 2024, 2025))}）浙02破{rng.randint(1, 99)}号",
        channel=rng.choice(CHANNELS),
    )
    return vary(rng, payload, CHECKLIST, ineligible())


flow = Flow(
    name="bankruptcy_check",
    display_name="企业破产信息核查",
    lead="court",
    application="BankruptcyInquirySubmitted",
    steps=(Step(matter=INQUIRY), *(Step(matter=query, after=(INQUIRY,)) for query in QUERIES)),
    sla_working_days=3,
    published=Published(source="北京", before=Figures(), after=Figures(working_days=3)),
    sample=sample,
)
