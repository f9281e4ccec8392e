"""不动产登记中心 and 住房公积金中心: housing and provident-fund facts, and the fund's employer accounts."""

from agents.flows import bankruptcy_check, deregistration, enterprise_change, public_rental_housing
from tests.unit.platform import apply, rejection_of


async def test_a_family_not_short_of_housing_is_not_eligible():
    case = await apply(public_rental_housing, housing_area_per_capita_m2=24.0)
    assert rejection_of(case, "housing.rental_housing_application")["reasons"] == [
        "不动产登记中心：家庭人均住房建筑面积 24.0 m² 不低于 15 m²，不属于住房困难"
    ]


async def test_an_outstanding_provident_fund_loan_counts_as_a_home():
    case = await apply(public_rental_housing, has_provident_fund_loan=True)
    assert rejection_of(case, "housing.rental_housing_application")["reasons"] == [
        "住房公积金管理中心：家庭成员有未结清的住房公积金贷款，视为已有住房"
    ]


async def test_employer_accounts_follow_enterprises_that_have_employees():
    assert "HousingFundRegistrationUpdated" in (await apply(enterprise_change)).types
    closed = await apply(deregistration, employee_count=0)
    assert "HousingFundAccountClosed" not in closed.types and closed.outcome.type == "CaseCompleted"


async def test_property_and_arrears_of_a_bankrupt_debtor_are_reported():
    case = await apply(bankruptcy_check)
    property_info = case.one("RealEstateInfoProvided")
    assert 0 <= property_info["mortgaged_count"] <= property_info["parcel_count"]
    assert case.one("HousingFundArrearsProvided")["arrears_yuan"] >= 0
