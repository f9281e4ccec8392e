"""医疗保障局: enrolment, reimbursement and the medical side of every enterprise and citizen change."""

from __future__ import annotations

from datetime import timedelta

from agents.registers import figure
from streams.checklist import Checklist, Material
from streams.conditions import Condition
from streams.days import occurred_on
from streams.department import Department, reject
from streams.events import Event, NewEvent, emit
from streams.facts import carry
from streams.rules import rule

department = Department("medical_insurance", "医疗保障局")

CLAIM_MATERIALS = Checklist(
    Material("insured_id", "参保人身份证明"),
    Material("medical_invoice", "医疗费用票据"),
)
CLAIM_PERIOD_DAYS = 365
# A newborn enrolled within 90 days of birth is covered from the day of birth.
NEWBORN_BACKDATING_DAYS = 90
# 生育医疗费用 定额 by delivery mode (illustrative local figures).
MATERNITY_CAP_YUAN = {"VAGINAL": 3000.0, "CAESAREAN": 4500.0}
# 住院 起付线 and 报销比例 by hospital level; 门诊 has one annual 起付线 and half the rate.
INPATIENT_DEDUCTIBLE = {1: 300.0, 2: 600.0, 3: 900.0}
INPATIENT_RATE = {1: 0.90, 2: 0.85, 3: 0.80}
OUTPATIENT_DEDUCTIBLE, OUTPATIENT_RATE = 1000.0, 0.50
ANNUAL_CAP_YUAN = 400_000.0


@department.matter(
    "medical_insurance_registration_change",
    "医保单位信息变更",
    trigger="BusinessLicenseChanged",
    done="MedicalInsuranceRegistrationUpdated",
    sla_working_days=1,
    when=Condition("employee_count", ">", 0),
)
async def update_registration(event: Event) -> list[NewEvent]:
    return [emit("MedicalInsuranceRegistrationUpdated", **carry(event, "uscc", "business_name"))]


@department.matter(
    "newborn_enrolment",
    "新生儿城乡居民医保参保（免申即享）",
    trigger="HouseholdRegistered",
    done="ResidentMedicalInsuranceEnrolled",
    sla_working_days=1,
)
async def enrol_newborn(event: Event) -> list[NewEvent]:
    # 免申即享: the household registration is the application; nobody asks the parents.
    today, born = occurred_on(event), event["birth_date"]
    start = born if today - born <= timedelta(days=NEWBORN_BACKDATING_DAYS) else today
    return [emit("ResidentMedicalInsuranceEnrolled", insured=event["child"], coverage_start=start)]


@rule("delivery_cost_yuan")
def costs_to_reimburse(payload, on):
    return [] if payload["delivery_cost_yuan"] > 0 else ["医院记录中没有个人负担的生育医疗费用，无需报销"]


@department.matter(
    "maternity_reimbursement",
    "生育医疗费用报销",
    trigger="BirthCertificateIssued",
    done="MaternityCostsReimbursed",
    sla_working_days=2,
    when=Condition("claim_maternity_costs", "==", True),
    rules=(costs_to_reimburse,),
)
async def reimburse_maternity_costs(event: Event) -> list[NewEvent]:
    cost, mode = event["delivery_cost_yuan"], event["delivery_mode"]
    amount = min(cost, MATERNITY_CAP_YUAN[mode])
    return [emit("MaternityCostsReimbursed", mother=event["mother"], delivery_mode=mode, amount_yuan=amount)]


@department.matter(
    "reimbursement_claim",
    "医疗费用报销申请受理",
    trigger="MedicalReimbursementClaimSubmitted",
    done="MedicalClaimAccepted",
    sla_working_days=1,
    materials=tuple(CLAIM_MATERIALS),
)
async def accept_claim(event: Event) -> list[NewEvent]:
    problems = []
    age = (occurred_on(event) - event["visit_date"]).days
    if age < 0:
        problems.append("就诊日期晚于申请日期")
    elif age > CLAIM_PERIOD_DAYS:
        problems.append(f"已超过就诊后 {CLAIM_PERIOD_DAYS} 日的报销申请期限")
    if event["total_cost_yuan"] <= 0:
        problems.append("医疗费用金额须大于零")
    if event["hospital_level"] not in INPATIENT_RATE:
        problems.append(f"医院等级 {event['hospital_level']} 无效（应为一至三级）")
    if rejection := CLAIM_MATERIALS.review(event.payload, *problems):
        return [rejection]
    return [
        emit(
            "MedicalClaimAccepted",
            **carry(
                event, "insured", "hospital", "hospital_level", "visit_kind", "visit_date", "total_cost_yuan"
            ),
        )
    ]


@department.matter(
    "reimbursement_review",
    "医疗费用审核",
    trigger="MedicalRecordsRetrieved",
    done="ReimbursementApproved",
    sla_working_days=5,
)
async def review_reimbursement(event: Event) -> list[NewEvent]:
    eligible = event["eligible_cost_yuan"]
    if event["visit_kind"] == "INPATIENT":
        level = event["hospital_level"]
        deductible, rate = INPATIENT_DEDUCTIBLE[level], INPATIENT_RATE[level]
    else:
        deductible, rate = OUTPATIENT_DEDUCTIBLE, OUTPATIENT_RATE
    if eligible <= deductible:
        return [reject(f"政策范围内费用 {eligible:.2f} 元未超过起付标准 {deductible:.0f} 元")]
    amount = round(min((eligible - deductible) * rate, ANNUAL_CAP_YUAN), 2)
    return [
        emit(
            "ReimbursementApproved",
            insured=event["insured"],
            eligible_cost_yuan=eligible,
            deductible_yuan=deductible,
            rate=rate,
            amount_yuan=amount,
        )
    ]


@department.matter(
    "bankruptcy_medical_insurance_query",
    "破产企业医保缴费信息查询",
    trigger="BankruptcyInquiryAccepted",
    done="MedicalInsuranceArrearsProvided",
    sla_working_days=2,
)
async def provide_medical_insurance_arrears(event: Event) -> list[NewEvent]:
    arrears = float(figure("mi_arrears", event["debtor_uscc"], 30) * 1000)
    return [
        emit(
            "MedicalInsuranceArrearsProvided",
            arrears_yuan=arrears,
            **carry(event, "debtor_uscc", "case_number"),
        )
    ]


@department.matter(
    "medical_insurance_deregistration",
    "医保登记注销",
    trigger="CompanyDeregistered",
    done="MedicalInsuranceRegistrationCancelled",
    sla_working_days=1,
)
async def cancel_registration(event: Event) -> list[NewEvent]:
    return [emit("MedicalInsuranceRegistrationCancelled", uscc=event["uscc"])]


@department.matter(
    "card_medical_settlement",
    "社保卡医保结算功能开通",
    trigger="SocialSecurityCardIssued",
    done="CardMedicalSettlementEnabled",
    sla_working_days=1,
)
async def enable_card_settlement(event: Event) -> list[NewEvent]:
    return [emit("CardMedicalSettlementEnabled", **carry(event, "holder", "card_no"))]


@department.matter(
    "employee_medical_insurance_enrolment",
    "职工基本医疗保险参保",
    trigger="EmploymentRegistered",
    done="EmployeeMedicalInsuranceEnrolled",
    sla_working_days=1,
)
async def enrol_employee(event: Event) -> list[NewEvent]:
    return [
        emit(
            "EmployeeMedicalInsuranceEnrolled",
            coverage_start=event["contract_start"],
            **carry(event, "employer_uscc", "employee"),
        )
    ]


@department.matter(
    "medical_insurance_relocation",
    "医保登记迁移",
    trigger="EnterpriseRelocated",
    done="MedicalInsuranceRelocated",
    sla_working_days=2,
    when=Condition("employee_count", ">", 0),
)
async def relocate_registration(event: Event) -> list[NewEvent]:
    return [emit("MedicalInsuranceRelocated", **carry(event, "uscc", "to_division"))]


@department.matter(
    "veteran_medical_insurance_transfer",
    "退役军人医疗保险关系接续",
    trigger="VeteranReported",
    done="VeteranMedicalInsuranceTransferred",
    sla_working_days=2,
)
async def continue_veteran_insurance(event: Event) -> list[NewEvent]:
    return [emit("VeteranMedicalInsuranceTransferred", veteran=event["veteran"])]
