"""卫健委 and 疾控: birth certificates, hospital records, staff health, vaccination cards."""

from agents.flows import medical_reimbursement, newborn, restaurant
from tests.unit.platform import apply, rejection_of


async def test_the_birth_certificate_comes_first_and_carries_the_birth_facts():
    case = await apply(newborn)
    certificate = case.one("BirthCertificateIssued")
    assert certificate.causation_id == case.events[0].event_id
    assert (certificate["child_name"], certificate["birth_weight_g"]) == ("王小明", 3300)


async def test_an_implausible_hospital_record_is_sent_back_with_every_gap():
    case = await apply(newborn, birth_weight_g=9000, materials=["parents_id"])
    assert rejection_of(case, "health.birth_certificate")["reasons"] == [
        "缺少材料：户口簿",
        "出生体重 9000 克超出合理范围，请接生医院核实",
    ]


async def test_hospital_records_replace_the_bills_an_applicant_used_to_bring():
    records = (await apply(medical_reimbursement, visit_kind="OUTPATIENT", total_cost_yuan=3000.0)).one(
        "MedicalRecordsRetrieved"
    )
    assert (records["eligible_cost_yuan"], records["self_pay_cost_yuan"]) == (2100.0, 900.0)


async def test_every_restaurant_employee_needs_a_health_certificate():
    # Found at submission (智能预审): no licence is issued for a restaurant with nobody to certify.
    case = await apply(restaurant, staff_count=0)
    assert rejection_of(case, "market_regulation.business_license")["reasons"] == [
        "卫生健康委员会：餐饮店须至少登记一名从业人员"
    ]
    assert "BusinessLicenseIssued" not in case.types


async def test_a_low_birth_weight_defers_bcg_on_the_vaccination_card():
    assert (await apply(newborn)).one("VaccinationCardIssued")["deferred_vaccines"] == []
    assert (await apply(newborn, birth_weight_g=2200)).one("VaccinationCardIssued")["deferred_vaccines"] == [
        "卡介苗"
    ]
