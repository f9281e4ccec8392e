"""社保卡居民服务: one card across services — 人社 issues it; medical settlement always, transit,
culture pass and the financial account as chosen, in parallel."""

from __future__ import annotations

from datetime import date
from random import Random
from typing import Any

from agents.bank import FINANCIAL_ACCOUNT_AGE
from agents.human_resources import SOCIAL_SECURITY_CARD_MATERIALS as CHECKLIST
from streams import Flow, Step
from streams.days import full_years
from streams.samples import CHANNELS, born, citizen, person_name, today, vary, with_materials

CARD = "human_resources.social_security_card_issue"


def application(**overrides: Any) -> dict[str, Any]:
    payload = {
        "holder": citizen(Random(14), date(1990, 5, 1)),
        "holder_name": "张敏",
        "holder_birth_date": date(1990, 5, 1),
        "has_valid_card": False,
        "enable_transit": True,
        "enable_culture_pass": True,
        "activate_financial_account": True,
        "channel": "ONLINE",
    }
    return with_materials(CHECKLIST, payload | overrides)


def ineligible() -> list[dict[str, Any]]:
    return [{"has_valid_card": True}]  # a replacement, not a first card


def sample(rng: Random) -> dict[str, Any]:
    birthday = born(rng, 3, 80)
    # A minor's account is activated at the bank with a guardian, not through this application:
    # otherwise one application in seven would be refused on top of the planned faults.
    adult = full_years(birthday, today()) >= FINANCIAL_ACCOUNT_AGE
    payload = application(
        holder=citizen(rng, birthday),
        holder_name=person_name(rng),
        holder_birth_date=birthday,
        enable_transit=rng.random() < 0.7,
        enable_culture_pass=rng.random() < 0.5,
        activate_financial_account=rng.random() < 0.8 and adult,
        channel=rng.choice(CHANNELS),
    )
    return vary(rng, payload, CHECKLIST, ineligible())


flow = Flow(
    name="social_security_card",
    display_name="社保卡居民服务",
    lead="human_resources",
    application="SocialSecurityCardApplicationSubmitted",
    steps=(
        Step(matter=CARD),
        Step(matter="medical_insurance.card_medical_settlement", after=(CARD,)),
        Step(matter="transport.card_transit_function", after=(CARD,)),
        Step(matter="culture_tourism.card_culture_pass", after=(CARD,)),
        Step(matter="bank.card_financial_account", after=(CARD,)),
    ),
    sla_working_days=6,
    audience="individual",
    # The catalog's one figure (1.386 billion cardholders) is a count, not a before → after.
    sample=sample,
)
