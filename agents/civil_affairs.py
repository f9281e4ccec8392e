"""民政局: family income checks (居民家庭经济状况核对) and subsidies for people with disabilities."""

from __future__ import annotations

from streams.conditions import Condition
from streams.department import Department
from streams.events import Event, NewEvent, emit
from streams.facts import carry
from streams.rules import rule

department = Department("civil_affairs", "民政局")

# 公租房 income limit per person and month (illustrative local figure).
RENTAL_HOUSING_INCOME_LIMIT_YUAN = 3200.0
# Monthly subsidies by disability grade (一级 is the most severe); illustrative local standards.
LIVING_SUBSIDY_YUAN = {1: 400.0, 2: 400.0, 3: 200.0, 4: 200.0}
CARE_SUBSIDY_YUAN = {1: 300.0, 2: 200.0}


@rule("monthly_income_per_capita_yuan")
def income_within_the_standard(payload, on):
    income, limit = payload["monthly_income_per_capita_yuan"], RENTAL_HOUSING_INCOME_LIMIT_YUAN
    return [f"家庭人均月收入 {income:.0f} 元高于公租房保障标准 {limit:.0f} 元"] if income > limit else []


@department.matter(
    "rental_housing_income_check",
    "公租房家庭经济状况核对",
    trigger="RentalHousingApplicationAccepted",
    done="RentalHousingIncomeVerified",
    sla_working_days=2,
    rules=(income_within_the_standard,),
)
async def check_income(event: Event) -> list[NewEvent]:
    return [
        emit(
            "RentalHousingIncomeVerified",
            **carry(
                event, "applicant", "family_size", "housing_area_per_capita_m2", "has_provident_fund_loan"
            ),
        )
    ]


@department.matter(
    "disability_living_subsidy",
    "困难残疾人生活补贴（免申即享）",
    trigger="DisabilityCertificateIssued",
    done="DisabilityLivingSubsidyGranted",
    sla_working_days=2,
    when=Condition("low_income_household", "==", True),
)
async def grant_living_subsidy(event: Event) -> list[NewEvent]:
    # 免申即享: the certificate and 民政's own 低保 register are the application.
    amount = LIVING_SUBSIDY_YUAN[event["grade"]]
    return [emit("DisabilityLivingSubsidyGranted", applicant=event["applicant"], monthly_amount_yuan=amount)]


@department.matter(
    "severe_disability_care_subsidy",
    "重度残疾人护理补贴（免申即享）",
    trigger="DisabilityCertificateIssued",
    done="SevereDisabilityCareSubsidyGranted",
    sla_working_days=2,
    when=Condition("grade", "<=", 2),
)
async def grant_care_subsidy(event: Event) -> list[NewEvent]:
    amount = CARE_SUBSIDY_YUAN[event["grade"]]
    return [
        emit("SevereDisabilityCareSubsidyGranted", applicant=event["applicant"], monthly_amount_yuan=amount)
    ]
