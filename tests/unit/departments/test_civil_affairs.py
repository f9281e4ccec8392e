"""民政局: income checks, and subsidies granted from the disability certificate (免申即享)."""

from agents.flows import disability_services, public_rental_housing
from tests.unit.platform import apply, rejection_of


async def test_income_above_the_limit_ends_a_housing_application():
    case = await apply(public_rental_housing, monthly_income_per_capita_yuan=5200.0)
    # 民政's check, told by 住建 when the application comes in (智能预审).
    assert rejection_of(case, "housing.rental_housing_application")["reasons"] == [
        "民政局：家庭人均月收入 5200 元高于公租房保障标准 3200 元"
    ]


async def test_a_low_income_family_with_a_severe_disability_gets_both_subsidies_unasked():
    case = await apply(disability_services)
    certificate = case.one("DisabilityCertificateIssued")
    living, care = case.one("DisabilityLivingSubsidyGranted"), case.one("SevereDisabilityCareSubsidyGranted")
    assert living.causation_id == care.causation_id == certificate.event_id
    assert (living["monthly_amount_yuan"], care["monthly_amount_yuan"]) == (400.0, 200.0)
    assert [e.type for e in case.events if e.producer == "service_center"] == [
        "DisabilityServicesApplicationSubmitted"
    ]


async def test_no_subsidy_is_owed_where_its_condition_does_not_hold():
    case = await apply(disability_services, grade=3, low_income_household=False)
    assert case.outcome.type == "CaseCompleted"
    assert case.outcome["matters"] == ["disabled_persons.disability_certificate"]
