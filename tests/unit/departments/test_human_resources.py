"""人社局: employment, social insurance, personnel files and the social-security card."""

from datetime import timedelta

from agents.flows import (
    enterprise_change,
    enterprise_relocation,
    hiring,
    newborn,
    school_enrolment,
    social_security_card,
    veteran_resettlement,
)
from streams.samples import today
from tests.unit.platform import apply, rejection_of


async def test_hiring_registers_employment_and_enrols_the_employee():
    case = await apply(hiring, monthly_wage_yuan=3000.0)
    assert case.outcome.type == "CaseCompleted"
    # The contribution base never falls below the province's floor.
    assert case.one("EmployeeSocialInsuranceEnrolled")["contribution_base_yuan"] == 4462.0


async def test_hiring_names_every_broken_rule_at_once():
    case = await apply(
        hiring,
        monthly_wage_yuan=2000.0,
        employee_birth_date=today() - timedelta(days=15 * 365),
        contract_start=today() - timedelta(days=40),
    )
    reasons = rejection_of(case, "human_resources.employment_registration")["reasons"]
    assert reasons == [
        "不得招用未满 16 周岁的未成年人",
        "月工资 2000 元低于最低工资标准 2490 元",
        "已超过招用之日起 30 日的就业登记期限，请先说明逾期原因",
    ]


async def test_a_card_and_a_file_transfer_only_for_those_who_need_them():
    plain = await apply(hiring)
    assert (
        "EmployeeSocialSecurityCardIssued" not in plain.types and "PersonnelFileReceived" not in plain.types
    )
    graduate = await apply(hiring, has_social_security_card=False, personnel_file_transfer=True)
    assert {"EmployeeSocialSecurityCardIssued", "PersonnelFileReceived"} <= set(graduate.types)
    assert len(graduate.outcome["matters"]) == 5


async def test_a_newborn_gets_a_card_without_applying():
    case = await apply(newborn)
    card = case.one("NewbornSocialSecurityCardIssued")
    assert card.causation_id == case.one("HouseholdRegistered").event_id
    assert card["holder"] == case.one("HouseholdRegistered")["child"]


async def test_a_card_is_issued_once_then_replaced_not_reissued():
    assert (await apply(social_security_card)).one("SocialSecurityCardIssued")["card_no"].startswith("A")
    again = await apply(social_security_card, has_valid_card=True)
    assert rejection_of(again, "human_resources.social_security_card_issue")["reasons"] == [
        "已持有有效的社会保障卡，请办理补换卡"
    ]


async def test_migrant_guardians_need_a_year_of_local_social_insurance():
    brief = await apply(
        school_enrolment, **(school_enrolment.MIGRANT | {"guardian_social_insurance_months": 6})
    )
    assert "不满 12 个月" in rejection_of(brief, "education.enrolment_application")["reasons"][0]
    local = await apply(school_enrolment)
    assert "EnrolmentSocialInsuranceVerified" not in local.types


async def test_registrations_follow_the_enterprise_only_when_it_has_employees():
    assert "SocialInsuranceRegistrationUpdated" in (await apply(enterprise_change)).types
    assert (
        "SocialInsuranceRegistrationUpdated" not in (await apply(enterprise_change, employee_count=0)).types
    )
    assert "SocialInsuranceRelocated" not in (await apply(enterprise_relocation, employee_count=0)).types


async def test_years_of_service_count_towards_a_veterans_pension():
    pension = (await apply(veteran_resettlement, service_years=8)).one("VeteranPensionTransferred")
    assert pension["counted_years"] == 8
