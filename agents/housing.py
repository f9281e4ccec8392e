"""住房和城乡建设局: public rental housing (住房保障), the joint site survey for utility hookups, and
its contract register."""

from __future__ import annotations

from agents.registers import figure
from streams.checklist import Checklist, Material
from streams.department import Department
from streams.events import Event, NewEvent, emit
from streams.facts import carry
from streams.identifiers import is_valid_uscc

department = Department("housing", "住房和城乡建设局")

RENTAL_HOUSING_MATERIALS = Checklist(
    Material("applicant_id", "申请人及家庭成员身份证明"),
    # 民政 may only look into a family's bank and income data with its written consent.
    Material("income_authorisation", "家庭经济状况核对授权书"),
)
UTILITY_MATERIALS = Checklist(
    Material("site_plan", "建设项目总平面图"),
    Material("load_list", "用水、用电、用气负荷清单"),
)
UTILITIES = ("needs_water", "needs_power", "needs_gas", "needs_telecom")
# Unit size by family size, and rent per m² (公租房 rent is well below the market's).
UNIT_AREA_M2 = {1: 35.0, 2: 45.0}
LARGE_UNIT_AREA_M2 = 60.0
RENT_PER_M2_YUAN = 10.0


@department.matter(
    "rental_housing_application",
    "公租房申请受理",
    trigger="PublicRentalHousingApplicationSubmitted",
    done="RentalHousingApplicationAccepted",
    sla_working_days=1,
    materials=tuple(RENTAL_HOUSING_MATERIALS),
)
async def accept_rental_housing_application(event: Event) -> list[NewEvent]:
    problems = [] if event["family_size"] >= 1 else ["家庭成员人数至少为 1 人"]
    if rejection := RENTAL_HOUSING_MATERIALS.review(event.payload, *problems):
        return [rejection]
    return [
        emit(
            "RentalHousingApplicationAccepted",
            **carry(
                event,
                "applicant",
                "family_size",
                "household_city",
                "monthly_income_per_capita_yuan",
                "housing_area_per_capita_m2",
                "has_provident_fund_loan",
            ),
        )
    ]


@department.matter(
    "rental_housing_eligibility",
    "公租房保障资格审核",
    # All of: the four checks run in parallel; the decision waits for every one of them.
    trigger=(
        "RentalHousingHouseholdVerified",
        "RentalHousingIncomeVerified",
        "RentalHousingPropertyVerified",
        "RentalHousingFundVerified",
    ),
    done="RentalHousingEligibilityConfirmed",
    sla_working_days=3,
)
async def confirm_eligibility(event: Event) -> list[NewEvent]:
    # Household, income, housing and provident fund are all confirmed: this is their join.
    waiting = f"LH{figure('waiting_list', event['applicant'], 10**6):06d}"
    return [
        emit(
            "RentalHousingEligibilityConfirmed",
            waiting_list_no=waiting,
            **carry(event, "applicant", "family_size"),
        )
    ]


@department.matter(
    "rental_housing_allocation",
    "公租房配租",
    trigger="RentalHousingEligibilityConfirmed",
    done="PublicRentalHousingAllocated",
    sla_working_days=10,
)
async def allocate_unit(event: Event) -> list[NewEvent]:
    area = UNIT_AREA_M2.get(event["family_size"], LARGE_UNIT_AREA_M2)
    unit = (
        f"{1 + figure('estate', event['applicant'], 12)}幢{101 + figure('unit', event['applicant'], 1800)}室"
    )
    return [
        emit(
            "PublicRentalHousingAllocated",
            applicant=event["applicant"],
            unit_no=unit,
            unit_area_m2=area,
            monthly_rent_yuan=area * RENT_PER_M2_YUAN,
        )
    ]


@department.matter(
    "joint_site_survey",
    "水电气网联合踏勘",
    trigger="UtilityHookupApplicationSubmitted",
    done="JointSiteSurveyCompleted",
    sla_working_days=1,
    materials=tuple(UTILITY_MATERIALS),
    manual="联合现场踏勘",
    typical_working_days=0.8,
)
async def survey_site(event: Event) -> list[NewEvent]:
    problems = [] if is_valid_uscc(event["uscc"]) else [f"统一社会信用代码 {event['uscc']} 无效"]
    if not any(event[need] for need in UTILITIES):
        problems.append("未选择任何接入服务（供水、供电、燃气、通信）")
    if event["building_area_m2"] <= 0:
        problems.append("建筑面积须大于零")
    if event["needs_power"] and event["power_capacity_kva"] <= 0:
        problems.append("申请供电须填写用电容量")
    if rejection := UTILITY_MATERIALS.review(event.payload, *problems):
        return [rejection]
    return [
        emit(
            "JointSiteSurveyCompleted",
            survey_no=f"TK{event['uscc'][-8:]}",
            **carry(
                event, "uscc", "project_name", "address", "building_area_m2", *UTILITIES, "power_capacity_kva"
            ),
        )
    ]


@department.matter(
    "bankruptcy_housing_query",
    "破产企业商品房网签备案信息查询",
    trigger="BankruptcyInquiryAccepted",
    done="HousingContractInfoProvided",
    sla_working_days=2,
)
async def provide_housing_contracts(event: Event) -> list[NewEvent]:
    contracts = figure("presale_contracts", event["debtor_uscc"], 40)
    return [
        emit(
            "HousingContractInfoProvided",
            presale_contract_count=contracts,
            **carry(event, "debtor_uscc", "case_number"),
        )
    ]
