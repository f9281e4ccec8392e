"""残疾人联合会: the disability certificate (残疾人证)."""

from __future__ import annotations

from agents.registers import figure
from streams.checklist import Checklist, Material
from streams.department import Department
from streams.events import Event, NewEvent, emit
from streams.facts import carry

department = Department("disabled_persons", "残疾人联合会")

CERTIFICATE_MATERIALS = Checklist(
    Material("applicant_id", "申请人身份证明"),
    Material("photo", "近期免冠照片"),
)
GRADES = range(1, 5)  # 一级 (most severe) to 四级
CATEGORY_CODE = {
    "VISUAL": 1,
    "HEARING": 2,
    "SPEECH": 3,
    "PHYSICAL": 4,
    "INTELLECTUAL": 5,
    "MENTAL": 6,
    "MULTIPLE": 7,
}


@department.matter(
    "disability_certificate",
    "残疾人证核发",
    trigger="DisabilityServicesApplicationSubmitted",
    done="DisabilityCertificateIssued",
    sla_working_days=3,
    materials=tuple(CERTIFICATE_MATERIALS),
    manual="残疾等级评定",
    typical_working_days=2.5,
)
async def issue_certificate(event: Event) -> list[NewEvent]:
    grade = event["grade"]
    problems = [] if grade in GRADES else [f"残疾评定等级 {grade} 无效（应为一至四级），请评定机构复核"]
    if rejection := CERTIFICATE_MATERIALS.review(event.payload, *problems):
        return [rejection]
    # 残疾人证号: 18 characters standing for the holder, then the category and the grade.
    base = figure("disability_certificate", event["applicant"], 10**18)
    number = f"{base:018d}{CATEGORY_CODE[event['category']]}{grade}"
    return [
        emit(
            "DisabilityCertificateIssued",
            certificate_no=number,
            **carry(event, "applicant", "category", "grade", "low_income_household"),
        )
    ]
