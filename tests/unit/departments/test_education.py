"""教育局 with 公安 and 不动产: school enrolment on shared data, local and migrant children."""

from datetime import date

from agents.education import autumn_cutoff
from agents.flows import school_enrolment
from tests.unit.platform import apply, rejection_of


def test_the_cutoff_is_the_coming_31_august():
    assert autumn_cutoff(date(2026, 5, 1)) == date(2026, 8, 31)
    assert autumn_cutoff(date(2026, 9, 1)) == date(2027, 8, 31)


async def test_a_local_child_with_a_home_in_the_district_is_admitted():
    case = await apply(school_enrolment)
    admitted = case.one("StudentAdmitted")
    assert admitted["school"].startswith("海曙区第") and admitted["school"].endswith("小学")
    assert "MigrantStudentPlaced" not in case.types
    assert "human_resources.enrolment_social_insurance_check" not in case.outcome["matters"]


async def test_a_migrant_child_is_placed_once_the_guardians_insurance_is_confirmed():
    case = await apply(school_enrolment, **school_enrolment.MIGRANT)
    placed = case.one("MigrantStudentPlaced")
    checks = ("EnrolmentHouseholdVerified", "EnrolmentResidenceVerified", "EnrolmentSocialInsuranceVerified")
    accepted = case.one("EnrolmentApplicationAccepted")
    # The checks run in parallel on the accepted application; the placement joins all three.
    assert {case.one(t).causation_id for t in checks} == {accepted.event_id}
    assert placed.causation_id in {case.one(t).event_id for t in checks}
    assert "StudentAdmitted" not in case.types and case.outcome.type == "CaseCompleted"


async def test_a_child_too_young_is_told_when_they_can_start():
    young = date(autumn_cutoff(date.today()).year - 5, 3, 15)
    case = await apply(school_enrolment, child_birth_date=young)
    [reason] = rejection_of(case, "education.enrolment_application")["reasons"]
    assert reason.startswith("入读小学须于") and reason.endswith("前年满 6 周岁")


async def test_housing_must_match_the_district():
    homeless = await apply(school_enrolment, property_district=None)
    assert rejection_of(homeless, "education.enrolment_application")["reasons"] == [
        "不动产登记中心：户籍生须在学区（海曙区）内有登记的自有住房（房户一致）"
    ]
    unregistered = await apply(
        school_enrolment, **(school_enrolment.MIGRANT | {"lease_registration_no": None})
    )
    assert "租赁住房" in rejection_of(unregistered, "education.enrolment_application")["reasons"][0]
