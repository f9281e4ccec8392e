"""公安局: household registration (户籍), identity cards, seal filing, and its registers.

Identity numbers are assigned here and never leave: events carry only the citizen's token.
"""

from __future__ import annotations

from agents.registers import figure
from streams.conditions import Condition
from streams.days import full_years, occurred_on
from streams.department import Department
from streams.events import Event, NewEvent, emit
from streams.facts import carry
from streams.identifiers import make_citizen_id as id_number
from streams.identifiers import tokenize_citizen_id
from streams.rules import rule

department = Department("public_security", "公安局")

LOCAL_CITY = "宁波市"
# 随迁子女: the family must have held a local 居住证 for a year.
MIN_PERMIT_MONTHS = 12
MAX_NAME_CHARS = 15


def name_problems(child_name: str, parent_names: list[str]) -> list[str]:
    """姓名登记: standard Chinese characters, and the father's or the mother's surname (民法典 第1015条)."""
    problems = []
    if not 2 <= len(child_name) <= MAX_NAME_CHARS or not all(
        "\u4e00" <= ch <= "\u9fff" or ch == "·" for ch in child_name
    ):
        problems.append(f"姓名“{child_name}”须为 2 至 {MAX_NAME_CHARS} 个规范汉字")
    elif not any(child_name[0] == parent[0] for parent in parent_names if parent):
        problems.append(f"子女姓名“{child_name}”应随父姓或者母姓")
    return problems


@rule("child_name", "father_name", "mother_name")
def registrable_name(payload, on):
    return name_problems(payload["child_name"], [payload["father_name"], payload["mother_name"]])


@rule("settlement_division")
def valid_settlement_division(payload, on):
    division = payload["settlement_division"]
    return [] if len(division) == 6 and division.isdigit() else [f"安置地行政区划代码 {division} 无效"]


@rule("school_district", "household_district", "residence_basis", "residence_permit_months")
def household_for_the_school(payload, on):
    school, household = payload["school_district"], payload["household_district"]
    if payload["residence_basis"] == "LOCAL_HOUSEHOLD" and household != school:
        return [f"户籍不在报名学区（户籍：{household}，学区：{school}）"]
    months = payload["residence_permit_months"]
    if payload["residence_basis"] == "MIGRANT" and months < MIN_PERMIT_MONTHS:
        return [f"随迁子女父母须持本地居住证满 {MIN_PERMIT_MONTHS} 个月（现 {months} 个月）"]
    return []


@rule("household_city")
def local_household(payload, on):
    city = payload["household_city"]
    return [] if city == LOCAL_CITY else [f"申请人须具有{LOCAL_CITY}户籍（现户籍：{city}）"]


@department.matter(
    "company_seal_filing",
    "公章刻制备案",
    trigger="TransportCompanyLicenseIssued",
    done="CompanySealFiled",
    sla_working_days=1,
)
async def file_company_seals(event: Event) -> list[NewEvent]:
    uscc = event["uscc"]
    # 公章、财务章、发票专用章、法定代表人名章
    return [emit("CompanySealFiled", uscc=uscc, filing_no="YZ" + uscc[-10:], seal_count=4)]


@department.matter(
    "seal_refiling",
    "印章重新刻制备案",
    trigger="BusinessLicenseChanged",
    done="SealRefiled",
    sla_working_days=1,
    # The seal bears the name: only a new name needs new seals.
    when=Condition("new_name", "!=", ""),
)
async def refile_seals(event: Event) -> list[NewEvent]:
    uscc = event["uscc"]
    return [emit("SealRefiled", uscc=uscc, business_name=event["business_name"], filing_no="YZ" + uscc[-10:])]


@department.matter(
    "birth_registration",
    "出生登记（户口）",
    trigger="BirthCertificateIssued",
    done="HouseholdRegistered",
    sla_working_days=2,
    rules=(registrable_name,),
)
async def register_birth(event: Event) -> list[NewEvent]:
    child_name = event["child_name"]
    born, division = event["birth_date"], event["household_division"]
    sequence = 2 * figure("birth_sequence", event.case_id, 499) + (1 if event["sex"] == "MALE" else 2)
    child = tokenize_citizen_id(id_number(division, born, sequence))
    return [
        emit(
            "HouseholdRegistered",
            subject=child,
            child=child,
            child_name=child_name,
            sex=event["sex"],
            birth_date=born,
            household_division=division,
            guardian=event["mother"],
        )
    ]


@department.matter(
    "enrolment_household_check",
    "入学户籍（居住证）核验",
    trigger="EnrolmentApplicationAccepted",
    done="EnrolmentHouseholdVerified",
    sla_working_days=1,
    rules=(household_for_the_school,),
)
async def check_enrolment_household(event: Event) -> list[NewEvent]:
    return [
        emit(
            "EnrolmentHouseholdVerified",
            **carry(
                event,
                "guardian",
                "child",
                "stage",
                "school_district",
                "residence_basis",
                "property_district",
                "lease_registration_no",
                "guardian_social_insurance_months",
            ),
        )
    ]


@department.matter(
    "rental_housing_household_check",
    "公租房户籍核验",
    trigger="RentalHousingApplicationAccepted",
    done="RentalHousingHouseholdVerified",
    sla_working_days=1,
    rules=(local_household,),
)
async def check_rental_household(event: Event) -> list[NewEvent]:
    return [
        emit(
            "RentalHousingHouseholdVerified",
            **carry(
                event,
                "applicant",
                "family_size",
                "monthly_income_per_capita_yuan",
                "housing_area_per_capita_m2",
                "has_provident_fund_loan",
            ),
        )
    ]


@department.matter(
    "bankruptcy_vehicle_query",
    "破产企业机动车登记信息查询",
    trigger="BankruptcyInquiryAccepted",
    done="VehicleInfoProvided",
    sla_working_days=2,
)
async def provide_vehicle_info(event: Event) -> list[NewEvent]:
    debtor = event["debtor_uscc"]
    return [
        emit(
            "VehicleInfoProvided",
            debtor_uscc=debtor,
            case_number=event["case_number"],
            vehicle_count=figure("vehicles", debtor, 12),
        )
    ]


@department.matter(
    "seal_cancellation",
    "印章注销",
    trigger="CompanyDeregistered",
    done="SealCancelled",
    sla_working_days=1,
)
async def cancel_seals(event: Event) -> list[NewEvent]:
    return [emit("SealCancelled", uscc=event["uscc"])]


@department.matter(
    "veteran_household_restoration",
    "退役军人恢复户口登记",
    trigger="VeteranReported",
    done="VeteranHouseholdRestored",
    sla_working_days=2,
    rules=(valid_settlement_division,),
)
async def restore_household(event: Event) -> list[NewEvent]:
    division = event["settlement_division"]
    return [
        emit(
            "VeteranHouseholdRestored",
            veteran=event["veteran"],
            veteran_name=event["veteran_name"],
            birth_date=event["birth_date"],
            settlement_division=division,
        )
    ]


@department.matter(
    "veteran_identity_card",
    "居民身份证申领",
    trigger="VeteranHouseholdRestored",
    done="IdentityCardIssued",
    sla_working_days=3,
    manual="现场采集人像和指纹",
    typical_working_days=2,
)
async def issue_identity_card(event: Event) -> list[NewEvent]:
    # 居民身份证法 第5条: validity by age when the card is issued.
    age = full_years(event["birth_date"], occurred_on(event))
    validity = "5年" if age < 16 else "10年" if age <= 25 else "20年" if age <= 45 else "长期"
    return [emit("IdentityCardIssued", holder=event["veteran"], validity=validity)]
