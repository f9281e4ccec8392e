"""卫健委: staff health certificates, birth certificates (出生医学证明) and hospital records."""

from __future__ import annotations

from agents.registers import figure
from streams.checklist import Checklist, Material
from streams.days import occurred_on
from streams.department import Department
from streams.events import Event, NewEvent, emit
from streams.facts import carry
from streams.rules import rule

department = Department("health", "卫生健康委员会")

# Qinghai's two materials for 新生儿出生 (nine before the reform); the rest comes from records.
NEWBORN_MATERIALS = Checklist(
    Material("parents_id", "父母身份证明"),
    Material("household_booklet", "户口簿"),
)
BIRTH_WEIGHT_RANGE_G = range(300, 7001)
# Share of a hospital bill inside the insurance catalogue (政策范围内), as the records show it.
ELIGIBLE_SHARE = {"INPATIENT": 0.85, "OUTPATIENT": 0.70}


@rule("staff_count")
def staff_to_certify(payload, on):
    return ["餐饮店须至少登记一名从业人员"] if payload["staff_count"] < 1 else []


@department.matter(
    "staff_health_certificates",
    "从业人员健康证明",
    trigger="BusinessLicenseIssued",
    done="HealthCertificatesIssued",
    sla_working_days=3,
    rules=(staff_to_certify,),
    manual="从业人员体检",
    typical_working_days=2,
)
async def issue_health_certificates(event: Event) -> list[NewEvent]:
    return [emit("HealthCertificatesIssued", certificate_count=event["staff_count"])]


@department.matter(
    "birth_certificate",
    "出生医学证明",
    trigger="NewbornApplicationSubmitted",
    done="BirthCertificateIssued",
    sla_working_days=1,
    materials=tuple(NEWBORN_MATERIALS),
)
async def issue_birth_certificate(event: Event) -> list[NewEvent]:
    problems = []
    if event["birth_date"] > occurred_on(event):
        problems.append("出生日期晚于申请日期")
    if event["birth_weight_g"] not in BIRTH_WEIGHT_RANGE_G:
        problems.append(f"出生体重 {event['birth_weight_g']} 克超出合理范围，请接生医院核实")
    if not event["child_name"].strip():
        problems.append("新生儿姓名为空")
    if rejection := NEWBORN_MATERIALS.review(event.payload, *problems):
        return [rejection]
    return [
        emit(
            "BirthCertificateIssued",
            certificate_no=f"R{figure('birth_certificate', event.case_id, 10**9):09d}",
            **carry(
                event,
                "mother",
                "father",
                "mother_name",
                "father_name",
                "child_name",
                "sex",
                "birth_date",
                "birth_weight_g",
                "delivery_mode",
                "delivery_cost_yuan",
                "household_division",
                "claim_maternity_costs",
            ),
        )
    ]


@department.matter(
    "medical_records_retrieval",
    "就诊记录调取",
    trigger="MedicalClaimAccepted",
    done="MedicalRecordsRetrieved",
    sla_working_days=2,
)
async def retrieve_records(event: Event) -> list[NewEvent]:
    # 无证件: the hospital's own records replace the 费用清单 and 出院小结 an applicant used to bring.
    total = event["total_cost_yuan"]
    eligible = round(total * ELIGIBLE_SHARE[event["visit_kind"]], 2)
    return [
        emit(
            "MedicalRecordsRetrieved",
            eligible_cost_yuan=eligible,
            self_pay_cost_yuan=round(total - eligible, 2),
            **carry(event, "insured", "hospital_level", "visit_kind"),
        )
    ]
