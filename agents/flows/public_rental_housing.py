"""申请公租房: the application is accepted, then the household, income, housing and provident-fund
checks run in parallel; the eligibility decision joins all four (all-of triggers), then allocation.
A failed check rejects the case, and the decision never fires.
"""

from __future__ import annotations

from random import Random
from typing import Any

from agents.housing import RENTAL_HOUSING_MATERIALS as CHECKLIST
from streams import Flow, Step
from streams.samples import CHANNELS, citizen, vary, with_materials

ACCEPTANCE = "housing.rental_housing_application"
HOUSEHOLD = "public_security.rental_housing_household_check"
INCOME = "civil_affairs.rental_housing_income_check"
PROPERTY = "real_estate.rental_housing_property_check"
FUND = "housing_fund.rental_housing_fund_check"
ELIGIBILITY = "housing.rental_housing_eligibility"


def application(**overrides: Any) -> dict[str, Any]:
    payload = {
        "applicant": citizen(Random(9)),
        "family_size": 3,
        "household_city": "宁波市",
        "monthly_income_per_capita_yuan": 2500.0,
        "housing_area_per_capita_m2": 10.0,
        "has_provident_fund_loan": False,
        "channel": "ONLINE",
    }
    return with_materials(CHECKLIST, payload | overrides)


def ineligible() -> list[dict[str, Any]]:
    return [
        {"household_city": "杭州市"},  # not a local household
        {"monthly_income_per_capita_yuan": 5200.0},  # above the income limit
        {"housing_area_per_capita_m2": 24.0},  # not short of housing
        {"has_provident_fund_loan": True},  # a mortgage means a home
    ]


def sample(rng: Random) -> dict[str, Any]:
    payload = application(
        applicant=citizen(rng),
        family_size=rng.randint(1, 5),
        monthly_income_per_capita_yuan=float(rng.randint(1200, 3200)),
        housing_area_per_capita_m2=float(rng.randint(0, 14)),
        channel=rng.choice(CHANNELS),
    )
    return vary(rng, payload, CHECKLIST, ineligible())


flow = Flow(
    name="public_rental_housing",
    display_name="申请公租房",
    lead="housing",
    application="PublicRentalHousingApplicationSubmitted",
    steps=(
        Step(matter=ACCEPTANCE),
        Step(matter=HOUSEHOLD, after=(ACCEPTANCE,)),
        Step(matter=INCOME, after=(ACCEPTANCE,)),
        Step(matter=PROPERTY, after=(ACCEPTANCE,)),
        Step(matter=FUND, after=(ACCEPTANCE,)),
        Step(matter=ELIGIBILITY, after=(HOUSEHOLD, INCOME, PROPERTY, FUND)),
        Step(matter="housing.rental_housing_allocation", after=(ELIGIBILITY,)),
    ),
    sla_working_days=20,
    audience="individual",
    sample=sample,
)
