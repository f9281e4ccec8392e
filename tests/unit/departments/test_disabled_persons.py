"""残联: the disability certificate."""

from agents.flows import disability_services
from tests.unit.platform import apply, rejection_of


async def test_the_certificate_number_ends_with_category_and_grade():
    certificate = (await apply(disability_services, category="VISUAL", grade=1)).one(
        "DisabilityCertificateIssued"
    )
    assert len(certificate["certificate_no"]) == 20 and certificate["certificate_no"].endswith("11")


async def test_an_invalid_grade_is_sent_back_to_the_assessors_with_missing_materials():
    case = await apply(disability_services, grade=5, materials=["applicant_id"])
    assert rejection_of(case, "disabled_persons.disability_certificate")["reasons"] == [
        "缺少材料：近期免冠照片",
        "残疾评定等级 5 无效（应为一至四级），请评定机构复核",
    ]
