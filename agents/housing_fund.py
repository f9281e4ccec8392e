"""住房公积金管理中心: employer accounts, loan checks and arrears."""

from __future__ import annotations

from agents.registers import figure
from streams.conditions import Condition
from streams.department import Department
from streams.events import Event, NewEvent, emit
from streams.facts import carry
from streams.rules import rule

department = Department("housing_fund", "住房公积金管理中心")

# Employers without employees never opened a 公积金 account, so only those with employees follow.
HAS_EMPLOYEES = Condition("employee_count", ">", 0)


@department.matter(
    "housing_fund_registration_change",
    "公积金单位登记变更",
    trigger="BusinessLicenseChanged",
    done="HousingFundRegistrationUpdated",
    sla_working_days=1,
    when=HAS_EMPLOYEES,
)
async def update_registration(event: Event) -> list[NewEvent]:
    return [emit("HousingFundRegistrationUpdated", **carry(event, "uscc", "business_name"))]


@rule("has_provident_fund_loan")
def no_housing_loan(payload, on):
    # An outstanding 公积金贷款 means the family bought a home.
    return ["家庭成员有未结清的住房公积金贷款，视为已有住房"] if payload["has_provident_fund_loan"] else []


@department.matter(
    "rental_housing_fund_check",
    "公租房公积金贷款核查",
    trigger="RentalHousingApplicationAccepted",
    done="RentalHousingFundVerified",
    sla_working_days=1,
    rules=(no_housing_loan,),
)
async def check_provident_fund_loan(event: Event) -> list[NewEvent]:
    return [emit("RentalHousingFundVerified", **carry(event, "applicant", "family_size"))]


@department.matter(
    "bankruptcy_housing_fund_query",
    "破产企业公积金缴存信息查询",
    trigger="BankruptcyInquiryAccepted",
    done="HousingFundArrearsProvided",
    sla_working_days=2,
)
async def provide_housing_fund_arrears(event: Event) -> list[NewEvent]:
    arrears = float(figure("hf_arrears", event["debtor_uscc"], 20) * 1000)
    return [
        emit("HousingFundArrearsProvided", arrears_yuan=arrears, **carry(event, "debtor_uscc", "case_number"))
    ]


@department.matter(
    "housing_fund_deregistration",
    "公积金单位账户注销",
    trigger="CompanyDeregistered",
    done="HousingFundAccountClosed",
    sla_working_days=1,
    when=HAS_EMPLOYEES,
)
async def close_account(event: Event) -> list[NewEvent]:
    return [emit("HousingFundAccountClosed", uscc=event["uscc"])]


@department.matter(
    "housing_fund_relocation",
    "公积金单位账户转移",
    trigger="EnterpriseRelocated",
    done="HousingFundAccountRelocated",
    sla_working_days=2,
    when=HAS_EMPLOYEES,
)
async def relocate_account(event: Event) -> list[NewEvent]:
    return [emit("HousingFundAccountRelocated", **carry(event, "uscc", "to_division"))]
