"""企业迁移登记: one registration covers move-in, file transfer and change; tax, social insurance,
provident fund and medical insurance follow in parallel (they used to run one after another)."""

from __future__ import annotations

from random import Random
from typing import Any

from agents.market_regulation import RELOCATION_MATERIALS as CHECKLIST
from streams import Figures, Flow, Published, Step
from streams.samples import CHANNELS, DISTRICTS, enterprise, vary, with_materials

REGISTRATION = "market_regulation.relocation_registration"


def application(**overrides: Any) -> dict[str, Any]:
    payload = {
        "uscc": enterprise(Random(18)),
        "enterprise_name": "宁波天一软件有限公司",
        "from_division": "330203",
        "to_division": "330212",
        "new_address": "浙江省宁波市鄞州区首南街道泰康中路 456 号",
        "employee_count": 20,
        "channel": "ONLINE",
    }
    return with_materials(CHECKLIST, payload | overrides)


def ineligible() -> list[dict[str, Any]]:
    return [{"to_division": "330203"}]  # not a move between registration authorities


def sample(rng: Random) -> dict[str, Any]:
    source, target = rng.sample(sorted(DISTRICTS), k=2)
    payload = application(
        uscc=enterprise(rng, source),
        from_division=source,
        to_division=target,
        new_address=f"浙江省宁波市{DISTRICTS[target]}创业路 {rng.randint(1, 999)} 号",
        employee_count=rng.choice((0, 6, 20, 150)),
        channel=rng.choice(CHANNELS),
    )
    # Staying with the same registration authority breaks the rule whichever district was drawn.
    return vary(rng, payload, CHECKLIST, [{"to_division": source}])


flow = Flow(
    name="enterprise_relocation",
    display_name="企业迁移登记",
    lead="market_regulation",
    application="EnterpriseRelocationSubmitted",
    steps=(
        Step(matter=REGISTRATION),
        Step(matter="tax.tax_relocation", after=(REGISTRATION,)),
        Step(matter="human_resources.social_insurance_relocation", after=(REGISTRATION,)),
        Step(matter="housing_fund.housing_fund_relocation", after=(REGISTRATION,)),
        Step(matter="medical_insurance.medical_insurance_relocation", after=(REGISTRATION,)),
    ),
    sla_working_days=3,
    published=Published(
        source="天津",
        before=Figures(steps=9, trips=9, materials=22, working_days=9),
        after=Figures(steps=1, trips=1, materials=6, working_days=3),
    ),
    sample=sample,
)
