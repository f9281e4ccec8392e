"""医保局: enrolment without applying, maternity costs, and the claim → records → review → payment chain."""

from datetime import timedelta

from agents.flows import hiring, medical_reimbursement, newborn, social_security_card
from streams.samples import today
from tests.unit.platform import apply, rejection_of


async def test_a_newborn_is_covered_from_birth_without_any_application():
    case = await apply(newborn)
    enrolment = case.one("ResidentMedicalInsuranceEnrolled")
    assert enrolment.causation_id == case.one("HouseholdRegistered").event_id
    assert enrolment["coverage_start"] == case.events[0]["birth_date"]
    # Nothing was applied for but the newborn itself.
    assert [e.type for e in case.events if e.producer == "service_center"] == ["NewbornApplicationSubmitted"]


async def test_maternity_costs_are_reimbursed_up_to_the_flat_rate_when_claimed():
    case = await apply(newborn, delivery_mode="CAESAREAN", delivery_cost_yuan=6200.0)
    assert case.one("MaternityCostsReimbursed")["amount_yuan"] == 4500.0
    unclaimed = await apply(newborn, claim_maternity_costs=False)
    assert "MaternityCostsReimbursed" not in unclaimed.types and unclaimed.outcome.type == "CaseCompleted"
    free = await apply(newborn, delivery_cost_yuan=0.0)
    assert "无需报销" in rejection_of(free, "health.birth_certificate")["reasons"][0]
    assert "BirthCertificateIssued" not in free.types


async def test_an_inpatient_claim_pays_above_the_deductible_at_the_hospitals_rate():
    case = await apply(medical_reimbursement)  # 三级 hospital, 12 000 元, 85 % inside the catalogue
    approval = case.one("ReimbursementApproved")
    assert (approval["eligible_cost_yuan"], approval["deductible_yuan"], approval["rate"]) == (
        10200.0,
        900.0,
        0.8,
    )
    assert approval["amount_yuan"] == 7440.0 == case.one("ReimbursementPaid")["amount_yuan"]


async def test_claims_outside_the_rules_are_declined_with_the_figures():
    small = await apply(medical_reimbursement, total_cost_yuan=800.0)
    assert rejection_of(small, "medical_insurance.reimbursement_review")["reasons"] == [
        "政策范围内费用 680.00 元未超过起付标准 900 元"
    ]
    late = await apply(
        medical_reimbursement, visit_date=today() - timedelta(days=400), materials=["insured_id"]
    )
    assert rejection_of(late, "medical_insurance.reimbursement_claim")["reasons"] == [
        "缺少材料：医疗费用票据",
        "已超过就诊后 365 日的报销申请期限",
    ]


async def test_employees_and_cardholders_are_set_up_for_medical_insurance():
    assert "EmployeeMedicalInsuranceEnrolled" in (await apply(hiring)).types
    assert "CardMedicalSettlementEnabled" in (await apply(social_security_card)).types
