"""公安局: household registration, identity cards, seals, and the household checks others ask for."""

import re
from datetime import date, timedelta

from agents.flows import (
    bankruptcy_check,
    deregistration,
    enterprise_change,
    newborn,
    public_rental_housing,
    school_enrolment,
    transport_company,
    veteran_resettlement,
)
from agents.public_security import id_number
from streams.samples import today
from tests.unit.platform import apply, rejection_of

IDENTITY_NUMBER = re.compile(r"\d{17}[\dX]")


def test_an_identity_number_carries_its_gb11643_check_character():
    # The standard's own example: a woman (even sequence) born 31 December 1949 in 朝阳区.
    assert id_number("110105", date(1949, 12, 31), 2) == "11010519491231002X"


async def test_a_newborn_is_registered_under_a_token_never_a_number():
    case = await apply(newborn)
    household = case.one("HouseholdRegistered")
    assert household["child"].startswith("ct_") and household.subject == household["child"]
    assert household["child_name"] == "王小明" and household["guardian"] == case.events[0]["mother"]
    assert not any(IDENTITY_NUMBER.search(repr(e.payload)) for e in case.events)


async def test_a_childs_surname_is_the_fathers_or_the_mothers():
    mothers = await apply(newborn, child_name="陈小雨")
    assert mothers.outcome.type == "CaseCompleted"
    other = await apply(newborn, child_name="李小明")
    # 卫健 names 公安's refusal at submission: one notice, and no birth certificate for the case.
    assert rejection_of(other, "health.birth_certificate")["reasons"] == [
        "公安局：子女姓名“李小明”应随父姓或者母姓"
    ]
    assert len(other.rejections()) == 1 and "BirthCertificateIssued" not in other.types
    latin = await apply(newborn, child_name="王Ming")
    assert "规范汉字" in rejection_of(latin, "health.birth_certificate")["reasons"][0]


async def test_seals_are_re_engraved_only_when_the_name_changes():
    renamed = await apply(enterprise_change)
    assert renamed.one("SealRefiled")["business_name"] == "宁波甬江科技有限公司"
    moved = await apply(enterprise_change, new_name=None, new_address="宁波市鄞州区天童南路 588 号")
    assert "SealRefiled" not in moved.types
    assert "public_security.seal_refiling" not in moved.outcome["matters"]


async def test_seals_are_filed_for_a_new_company_and_cancelled_for_a_closed_one():
    assert (await apply(transport_company)).one("CompanySealFiled")["seal_count"] == 4
    assert "SealCancelled" in (await apply(deregistration)).types


async def test_household_checks_for_school_and_housing():
    away = await apply(school_enrolment, household_district="余姚市")
    assert rejection_of(away, "education.enrolment_application")["reasons"] == [
        "公安局：户籍不在报名学区（户籍：余姚市，学区：海曙区）"
    ]
    newcomer = await apply(school_enrolment, **(school_enrolment.MIGRANT | {"residence_permit_months": 8}))
    assert "居住证满 12 个月" in rejection_of(newcomer, "education.enrolment_application")["reasons"][0]
    outsider = await apply(public_rental_housing, household_city="杭州市")
    assert outsider.outcome["matter"] == "housing.rental_housing_application"
    assert outsider.outcome["reasons"] == ["公安局：申请人须具有宁波市户籍（现户籍：杭州市）"]


async def test_a_veteran_gets_the_household_back_then_an_identity_card_valid_by_age():
    case = await apply(veteran_resettlement, birth_date=today() - timedelta(days=30 * 365))
    restored, card = case.one("VeteranHouseholdRestored"), case.one("IdentityCardIssued")
    assert card.causation_id == restored.event_id
    assert card["validity"] == "20年"


async def test_vehicles_are_reported_for_a_bankrupt_debtor():
    assert (await apply(bankruptcy_check)).one("VehicleInfoProvided")["vehicle_count"] >= 0
