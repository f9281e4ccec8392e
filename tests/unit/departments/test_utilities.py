"""供水、供电、燃气、通信: each plans its connection after the survey, and only when asked."""

from agents.flows import utility_hookup
from tests.unit.platform import apply

PLANS = ("WaterHookupPlanned", "PowerHookupPlanned", "GasHookupPlanned", "TelecomHookupPlanned")


async def test_every_utility_asked_for_plans_its_connection_from_the_survey():
    case = await apply(utility_hookup)
    survey = case.one("JointSiteSurveyCompleted")
    assert all(case.one(plan).causation_id == survey.event_id for plan in PLANS)
    assert case.one("WaterHookupPlanned")["pipe_diameter_mm"] == 100
    assert case.one("GasHookupPlanned")["pressure_class"] == "中压"
    assert case.one("TelecomHookupPlanned")["bandwidth_mbps"] == 1000


async def test_a_utility_not_asked_for_stays_out_of_the_case():
    case = await apply(utility_hookup, needs_gas=False, needs_telecom=False)
    assert "GasHookupPlanned" not in case.types and "TelecomHookupPlanned" not in case.types
    assert sorted(case.outcome["matters"]) == [
        "housing.joint_site_survey",
        "power_supply.power_hookup_plan",
        "water_supply.water_hookup_plan",
    ]


async def test_small_loads_connect_at_low_voltage_for_free_and_huge_ones_need_a_substation():
    small = (await apply(utility_hookup, power_capacity_kva=100.0)).one("PowerHookupPlanned")
    assert (small["voltage"], small["connection_fee_yuan"]) == ("0.4kV", 0.0)
    medium = (await apply(utility_hookup)).one("PowerHookupPlanned")
    assert medium["voltage"] == "10kV" and medium["connection_fee_yuan"] > 0
    huge = await apply(utility_hookup, power_capacity_kva=12000.0)
    # Named at submission by the lead (住建), before the joint site survey is made.
    [notice] = huge.rejections()
    assert notice["department"] == "housing" and "供电公司：" in notice["reasons"][0]
    assert "专用变电站" in notice["reasons"][0] and "JointSiteSurveyCompleted" not in huge.types
