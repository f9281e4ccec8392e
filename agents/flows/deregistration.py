"""经营主体注销登记: pre-review, tax clearance, then deregistration; customs, social insurance,
medical insurance, provident fund, seals and bank account follow in parallel."""

from __future__ import annotations

from datetime import timedelta
from random import Random
from typing import Any

from agents.market_regulation import DEREGISTRATION_MATERIALS as CHECKLIST
from streams import Figures, Flow, Published, Step
from streams.samples import CHANNELS, enterprise, today, vary, with_materials

PRE_REVIEW = "market_regulation.deregistration_pre_review"
CLEARANCE = "tax.tax_clearance"
DEREGISTRATION = "market_regulation.company_deregistration"
FOLLOW_UPS = (
    "customs.customs_deregistration",
    "human_resources.social_insurance_deregistration",
    "medical_insurance.medical_insurance_deregistration",
    "housing_fund.housing_fund_deregistration",
    "public_security.seal_cancellation",
    "bank.bank_account_closure",
)


def application(**overrides: Any) -> dict[str, Any]:
    payload = {
        "uscc": enterprise(Random(13)),
        "enterprise_name": "宁波海港进出口贸易有限公司",
        "simplified": False,
        "announced_on": today() - timedelta(days=60),
        "unpaid_tax_yuan": 0.0,
        "unused_invoices": 0,
        "customs_registered": True,
        "employee_count": 8,
        "channel": "ONLINE",
    }
    return with_materials(CHECKLIST, payload | overrides)


def simplified() -> dict[str, Any]:
    """简易注销: no debts, announced for 20 days, investors' commitment instead of a liquidation report."""
    return {"simplified": True, "announced_on": today() - timedelta(days=25), "employee_count": 0}


def ineligible() -> list[dict[str, Any]]:
    return [
        {"announced_on": today() - timedelta(days=10)},  # creditors not given 45 days
        {"unpaid_tax_yuan": 1200.5},
        {"unused_invoices": 3},
    ]


def sample(rng: Random) -> dict[str, Any]:
    fields = simplified() if rng.random() < 0.4 else {"employee_count": rng.choice((0, 5, 30))}
    payload = application(
        uscc=enterprise(rng),
        customs_registered=rng.random() < 0.3,
        channel=rng.choice(CHANNELS),
        **fields,
    )
    return vary(rng, payload, CHECKLIST, ineligible())


flow = Flow(
    name="deregistration",
    display_name="经营主体注销登记",
    lead="market_regulation",
    application="DeregistrationApplicationSubmitted",
    steps=(
        Step(matter=PRE_REVIEW),
        Step(matter=CLEARANCE, after=(PRE_REVIEW,)),
        Step(matter=DEREGISTRATION, after=(CLEARANCE,)),
        *(Step(matter=matter, after=(DEREGISTRATION,)) for matter in FOLLOW_UPS),
    ),
    # Hebei: tax 10 → registration 1 → the rest 1 working day; the pre-review adds one more.
    sla_working_days=13,
    published=Published(source="河北", before=Figures(), after=Figures(working_days=12)),
    sample=sample,
)
