"""企业信息变更: the licence change first; seal, tax, social insurance, medical insurance, provident
fund and bank records follow in parallel, pushed by the change itself with no new application."""

from __future__ import annotations

from random import Random
from typing import Any

from agents.market_regulation import CHANGE_MATERIALS as CHECKLIST
from streams import Figures, Flow, Published, Step
from streams.samples import CHANNELS, citizen, enterprise, vary, with_materials

CHANGE = "market_regulation.license_change"
# Shanghai: "6 trips / ≥ 6 working days → 10 minutes"; 10 minutes of an 8-hour working day.
TEN_MINUTES_IN_WORKING_DAYS = 10 / (8 * 60)


def application(**overrides: Any) -> dict[str, Any]:
    payload = {
        "uscc": enterprise(Random(3)),
        "business_name": "宁波甬江贸易有限公司",
        "new_name": "宁波甬江科技有限公司",
        "new_address": None,
        "new_legal_representative": None,
        "employee_count": 12,
        "channel": "ONLINE",
    }
    return with_materials(CHECKLIST, payload | overrides)


def ineligible() -> list[dict[str, Any]]:
    return [
        {"new_name": "宁波甬江贸易有限公司"},  # the same name again
        {"new_name": "中华甬江科技有限公司"},  # a word needing approval
        {"new_name": None, "new_address": None, "new_legal_representative": None},  # nothing to change
    ]


def sample(rng: Random) -> dict[str, Any]:
    offered = {
        "new_name": rng.choice(("宁波甬江科技有限公司", "宁波甬江数字科技有限公司")),
        "new_address": "浙江省宁波市鄞州区天童南路 588 号",
        "new_legal_representative": citizen(rng),
    }
    changed = rng.sample(sorted(offered), k=rng.randint(1, len(offered)))
    payload = application(
        uscc=enterprise(rng),
        employee_count=rng.choice((0, 3, 12, 45, 200)),
        channel=rng.choice(CHANNELS),
        **{field: value if field in changed else None for field, value in offered.items()},
    )
    return vary(rng, payload, CHECKLIST, ineligible())


flow = Flow(
    name="change_enterprise_info",
    display_name="企业信息变更",
    lead="market_regulation",
    application="EnterpriseChangeApplicationSubmitted",
    steps=(
        Step(matter=CHANGE),
        Step(matter="public_security.seal_refiling", after=(CHANGE,)),
        Step(matter="tax.tax_registration_change", after=(CHANGE,)),
        Step(matter="human_resources.social_insurance_registration_change", after=(CHANGE,)),
        Step(matter="medical_insurance.medical_insurance_registration_change", after=(CHANGE,)),
        Step(matter="housing_fund.housing_fund_registration_change", after=(CHANGE,)),
        Step(matter="bank.bank_account_record_change", after=(CHANGE,)),
    ),
    sla_working_days=2,
    published=Published(
        source="上海",
        before=Figures(trips=6, working_days=6),
        after=Figures(working_days=round(TEN_MINUTES_IN_WORKING_DAYS, 4)),
    ),
    sample=sample,
)
