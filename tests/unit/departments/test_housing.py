"""住建局 and its partners: public rental housing, the joint site survey, contract records."""

from agents.flows import bankruptcy_check, public_rental_housing, utility_hookup
from tests.unit.platform import apply, rejection_of

CHECKS = (
    "RentalHousingHouseholdVerified",
    "RentalHousingIncomeVerified",
    "RentalHousingPropertyVerified",
    "RentalHousingFundVerified",
)


async def test_the_checks_run_in_parallel_and_the_decision_joins_them():
    case = await apply(public_rental_housing)
    accepted = case.one("RentalHousingApplicationAccepted")
    checks = [case.one(t) for t in CHECKS]
    assert {c.causation_id for c in checks} == {accepted.event_id}
    decision = case.one("RentalHousingEligibilityConfirmed")
    # Caused by whichever check arrived last.
    assert decision.causation_id in {c.event_id for c in checks}
    assert case.one("PublicRentalHousingAllocated").causation_id == decision.event_id
    flat = case.one("PublicRentalHousingAllocated")
    assert (flat["unit_area_m2"], flat["monthly_rent_yuan"]) == (60.0, 600.0)


async def test_each_check_turns_away_a_family_it_does_not_cover():
    for field, value, department in (
        ("monthly_income_per_capita_yuan", 5200.0, "民政局"),
        ("housing_area_per_capita_m2", 24.0, "不动产登记中心"),
        ("has_provident_fund_loan", True, "住房公积金管理中心"),
    ):
        case = await apply(public_rental_housing, **{field: value})
        # Each department's check is told at submission, in 住建's one notice.
        assert case.outcome["matter"] == "housing.rental_housing_application"
        assert case.outcome["reasons"][0].startswith(f"{department}：")
        assert "RentalHousingEligibilityConfirmed" not in case.types
        assert "PublicRentalHousingAllocated" not in case.types


async def test_a_single_applicant_gets_a_smaller_flat():
    flat = (await apply(public_rental_housing, family_size=1)).one("PublicRentalHousingAllocated")
    assert flat["unit_area_m2"] == 35.0


async def test_the_joint_survey_needs_at_least_one_utility():
    nothing = {n: False for n in ("needs_water", "needs_power", "needs_gas", "needs_telecom")}
    case = await apply(utility_hookup, **nothing)
    assert rejection_of(case, "housing.joint_site_survey")["reasons"] == [
        "未选择任何接入服务（供水、供电、燃气、通信）"
    ]


async def test_presale_contracts_are_reported_for_a_bankrupt_debtor():
    assert (await apply(bankruptcy_check)).one("HousingContractInfoProvided")["presale_contract_count"] >= 0
