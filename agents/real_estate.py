"""不动产登记中心 (自然资源局): housing checks against the property register."""

from __future__ import annotations

from agents.registers import figure
from streams.department import Department
from streams.events import Event, NewEvent, emit
from streams.facts import carry
from streams.rules import rule

department = Department("real_estate", "不动产登记中心")

# 公租房: 人均住房建筑面积 below this counts as 住房困难.
HARDSHIP_M2_PER_PERSON = 15.0


@rule("school_district", "property_district", "residence_basis", "lease_registration_no")
def a_home_in_the_district(payload, on):
    school = payload["school_district"]
    owns_in_district = payload["property_district"] == school
    if payload["residence_basis"] == "LOCAL_HOUSEHOLD" and not owns_in_district:
        return [f"户籍生须在学区（{school}）内有登记的自有住房（房户一致）"]
    if payload["residence_basis"] == "MIGRANT" and not (owns_in_district or payload["lease_registration_no"]):
        return [f"随迁子女家庭须在学区（{school}）内有自有住房或登记备案的租赁住房"]
    return []


@rule("housing_area_per_capita_m2")
def in_housing_hardship(payload, on):
    area = payload["housing_area_per_capita_m2"]
    if area >= HARDSHIP_M2_PER_PERSON:
        return [f"家庭人均住房建筑面积 {area:.1f} m² 不低于 {HARDSHIP_M2_PER_PERSON:.0f} m²，不属于住房困难"]
    return []


@department.matter(
    "enrolment_residence_check",
    "入学住房核验",
    trigger="EnrolmentApplicationAccepted",
    done="EnrolmentResidenceVerified",
    sla_working_days=1,
    rules=(a_home_in_the_district,),
)
async def check_enrolment_residence(event: Event) -> list[NewEvent]:
    return [
        emit(
            "EnrolmentResidenceVerified",
            **carry(
                event,
                "guardian",
                "child",
                "stage",
                "school_district",
                "residence_basis",
                "guardian_social_insurance_months",
            ),
        )
    ]


@department.matter(
    "rental_housing_property_check",
    "公租房住房状况核查",
    trigger="RentalHousingApplicationAccepted",
    done="RentalHousingPropertyVerified",
    sla_working_days=1,
    rules=(in_housing_hardship,),
)
async def check_rental_housing_property(event: Event) -> list[NewEvent]:
    return [
        emit(
            "RentalHousingPropertyVerified",
            **carry(event, "applicant", "family_size", "has_provident_fund_loan"),
        )
    ]


@department.matter(
    "bankruptcy_property_query",
    "破产企业不动产登记信息查询",
    trigger="BankruptcyInquiryAccepted",
    done="RealEstateInfoProvided",
    sla_working_days=2,
)
async def provide_real_estate_info(event: Event) -> list[NewEvent]:
    parcels = figure("parcels", event["debtor_uscc"], 6)
    return [
        emit(
            "RealEstateInfoProvided",
            parcel_count=parcels,
            mortgaged_count=figure("mortgages", event["debtor_uscc"], parcels + 1),
            **carry(event, "debtor_uscc", "case_number"),
        )
    ]
