"""人力资源和社会保障局: employment, social insurance, personnel files and the social-security card."""

from __future__ import annotations

from datetime import timedelta

from agents.registers import figure
from streams.checklist import Checklist, Material
from streams.conditions import Condition
from streams.days import full_years, occurred_on
from streams.department import Department
from streams.events import Event, NewEvent, emit
from streams.facts import carry
from streams.identifiers import is_valid_uscc
from streams.rules import rule

department = Department("human_resources", "人力资源和社会保障局")

SOCIAL_SECURITY_CARD_MATERIALS = Checklist(Material("holder_id", "申领人身份证明"))
HIRING_MATERIALS = Checklist(
    Material("labour_contract", "劳动合同"),
    Material("employee_id", "员工身份证明"),
)
MINIMUM_MONTHLY_WAGE = 2490  # 浙江省最低月工资标准（一档）
MINIMUM_WORKING_AGE = 16  # 劳动法 第15条
REGISTRATION_PERIOD_DAYS = 30  # 就业登记: within 30 days of hiring
# 缴费基数 is the wage kept between the province's floor and ceiling (illustrative figures).
CONTRIBUTION_FLOOR, CONTRIBUTION_CEILING = 4462.0, 22311.0
MIN_INSURED_MONTHS = 12


def card_no(holder: str) -> str:
    return f"A{figure('social_security_card', holder, 10**8):08d}"


@department.matter(
    "social_insurance_registration_change",
    "社会保险登记变更",
    trigger="BusinessLicenseChanged",
    done="SocialInsuranceRegistrationUpdated",
    sla_working_days=1,
    when=Condition("employee_count", ">", 0),
)
async def update_social_insurance_registration(event: Event) -> list[NewEvent]:
    return [
        emit(
            "SocialInsuranceRegistrationUpdated",
            uscc=event["uscc"],
            business_name=event["business_name"],
            insured_employees=event["employee_count"],
        )
    ]


@department.matter(
    "newborn_social_security_card",
    "新生儿社会保障卡（免申即享）",
    trigger="HouseholdRegistered",
    done="NewbornSocialSecurityCardIssued",
    sla_working_days=1,
)
async def issue_newborn_card(event: Event) -> list[NewEvent]:
    # 免申即享: the household registration is the application.
    child = event["child"]
    return [
        emit(
            "NewbornSocialSecurityCardIssued",
            holder=child,
            holder_name=event["child_name"],
            card_no=card_no(child),
        )
    ]


@rule("guardian_social_insurance_months")
def insured_long_enough(payload, on):
    months = payload["guardian_social_insurance_months"]
    if months < MIN_INSURED_MONTHS:
        return [f"父母在本市连续缴纳社会保险不满 {MIN_INSURED_MONTHS} 个月（现 {months} 个月）"]
    return []


@department.matter(
    "enrolment_social_insurance_check",
    "随迁子女父母社保核验",
    trigger="EnrolmentApplicationAccepted",
    done="EnrolmentSocialInsuranceVerified",
    sla_working_days=1,
    when=Condition("residence_basis", "==", "MIGRANT"),
    rules=(insured_long_enough,),
)
async def check_guardian_social_insurance(event: Event) -> list[NewEvent]:
    return [
        emit(
            "EnrolmentSocialInsuranceVerified",
            **carry(event, "guardian", "child", "stage", "school_district", "residence_basis"),
        )
    ]


@department.matter(
    "bankruptcy_social_insurance_query",
    "破产企业社保缴费信息查询",
    trigger="BankruptcyInquiryAccepted",
    done="SocialInsuranceArrearsProvided",
    sla_working_days=2,
)
async def provide_social_insurance_arrears(event: Event) -> list[NewEvent]:
    debtor = event["debtor_uscc"]
    return [
        emit(
            "SocialInsuranceArrearsProvided",
            debtor_uscc=debtor,
            case_number=event["case_number"],
            insured_employees=figure("insured", debtor, 200),
            arrears_yuan=float(figure("si_arrears", debtor, 50) * 1000),
        )
    ]


@department.matter(
    "social_insurance_deregistration",
    "社会保险登记注销",
    trigger="CompanyDeregistered",
    done="SocialInsuranceRegistrationCancelled",
    sla_working_days=1,
)
async def cancel_social_insurance_registration(event: Event) -> list[NewEvent]:
    return [emit("SocialInsuranceRegistrationCancelled", uscc=event["uscc"])]


@department.matter(
    "social_security_card_issue",
    "社会保障卡申领",
    trigger="SocialSecurityCardApplicationSubmitted",
    done="SocialSecurityCardIssued",
    sla_working_days=5,
    materials=tuple(SOCIAL_SECURITY_CARD_MATERIALS),
)
async def issue_social_security_card(event: Event) -> list[NewEvent]:
    problems = ["已持有有效的社会保障卡，请办理补换卡"] if event["has_valid_card"] else []
    if rejection := SOCIAL_SECURITY_CARD_MATERIALS.review(event.payload, *problems):
        return [rejection]
    return [
        emit(
            "SocialSecurityCardIssued",
            card_no=card_no(event["holder"]),
            **carry(
                event,
                "holder",
                "holder_name",
                "holder_birth_date",
                "enable_transit",
                "enable_culture_pass",
                "activate_financial_account",
            ),
        )
    ]


@department.matter(
    "employment_registration",
    "就业登记",
    trigger="EmployeeHiringSubmitted",
    done="EmploymentRegistered",
    sla_working_days=1,
    materials=tuple(HIRING_MATERIALS),
)
async def register_employment(event: Event) -> list[NewEvent]:
    problems = [] if is_valid_uscc(event["employer_uscc"]) else ["用人单位统一社会信用代码无效"]
    start = event["contract_start"]
    if full_years(event["employee_birth_date"], start) < MINIMUM_WORKING_AGE:
        problems.append(f"不得招用未满 {MINIMUM_WORKING_AGE} 周岁的未成年人")
    if event["monthly_wage_yuan"] < MINIMUM_MONTHLY_WAGE:
        wage = event["monthly_wage_yuan"]
        problems.append(f"月工资 {wage:.0f} 元低于最低工资标准 {MINIMUM_MONTHLY_WAGE} 元")
    if occurred_on(event) - start > timedelta(days=REGISTRATION_PERIOD_DAYS):
        problems.append(f"已超过招用之日起 {REGISTRATION_PERIOD_DAYS} 日的就业登记期限，请先说明逾期原因")
    if rejection := HIRING_MATERIALS.review(event.payload, *problems):
        return [rejection]
    return [
        emit(
            "EmploymentRegistered",
            **carry(
                event,
                "employer_uscc",
                "employee",
                "contract_start",
                "monthly_wage_yuan",
                "has_social_security_card",
                "personnel_file_transfer",
            ),
        )
    ]


@department.matter(
    "employee_social_insurance_enrolment",
    "职工社会保险参保",
    trigger="EmploymentRegistered",
    done="EmployeeSocialInsuranceEnrolled",
    sla_working_days=1,
    manual="纸质档案转递",
    typical_working_days=0.8,
)
async def enrol_employee_social_insurance(event: Event) -> list[NewEvent]:
    base = min(max(event["monthly_wage_yuan"], CONTRIBUTION_FLOOR), CONTRIBUTION_CEILING)
    return [
        emit(
            "EmployeeSocialInsuranceEnrolled",
            employer_uscc=event["employer_uscc"],
            employee=event["employee"],
            contribution_base_yuan=base,
        )
    ]


@department.matter(
    "personnel_file_transfer",
    "人事档案接收",
    trigger="EmploymentRegistered",
    done="PersonnelFileReceived",
    sla_working_days=5,
    when=Condition("personnel_file_transfer", "==", True),
)
async def receive_personnel_file(event: Event) -> list[NewEvent]:
    employee = event["employee"]
    return [
        emit(
            "PersonnelFileReceived",
            employer_uscc=event["employer_uscc"],
            employee=employee,
            file_no=f"DA{figure('personnel_file', employee, 10**8):08d}",
        )
    ]


@department.matter(
    "employee_social_security_card",
    "新参保职工社会保障卡申领",
    trigger="EmploymentRegistered",
    done="EmployeeSocialSecurityCardIssued",
    sla_working_days=5,
    when=Condition("has_social_security_card", "==", False),
)
async def issue_employee_card(event: Event) -> list[NewEvent]:
    employee = event["employee"]
    return [emit("EmployeeSocialSecurityCardIssued", employee=employee, card_no=card_no(employee))]


@department.matter(
    "social_insurance_relocation",
    "社会保险登记迁移",
    trigger="EnterpriseRelocated",
    done="SocialInsuranceRelocated",
    sla_working_days=2,
    when=Condition("employee_count", ">", 0),
)
async def relocate_social_insurance(event: Event) -> list[NewEvent]:
    return [
        emit(
            "SocialInsuranceRelocated",
            uscc=event["uscc"],
            to_division=event["to_division"],
            insured_employees=event["employee_count"],
        )
    ]


@department.matter(
    "veteran_pension_transfer",
    "退役军人养老保险关系接续",
    trigger="VeteranReported",
    done="VeteranPensionTransferred",
    sla_working_days=5,
)
async def continue_veteran_pension(event: Event) -> list[NewEvent]:
    # 军龄视同缴费年限: years of service count as contribution years.
    return [emit("VeteranPensionTransferred", veteran=event["veteran"], counted_years=event["service_years"])]
