"""消防救援支队 and 城管局: the restaurant's conditional fire check and signboard."""

from agents.flows import restaurant
from tests.unit.platform import apply, rejection_of


async def test_the_fire_check_runs_only_for_large_premises():
    small = await apply(restaurant, premises_area_m2=300.0)
    assert "FireSafetyInspectionPassed" not in small.types and small.outcome.type == "CaseCompleted"
    large = await apply(restaurant, premises_area_m2=420.0)
    assert large.one("FireSafetyInspectionPassed")["premises_area_m2"] == 420.0


async def test_a_signboard_is_approved_when_asked_for_and_short_enough():
    assert "SignboardApproved" not in (await apply(restaurant)).types
    assert (await apply(restaurant, signboard_text="阿娘面馆")).one("SignboardApproved")[
        "signboard_text"
    ] == "阿娘面馆"
    long = await apply(restaurant, signboard_text="阿娘面馆" * 6)
    assert rejection_of(long, "market_regulation.business_license")["reasons"] == [
        "城市管理局：招牌文字超过 20 字"
    ]
