"""海关 and 文旅局: each takes part only when its condition holds."""

from agents.flows import deregistration, social_security_card
from tests.unit.platform import apply


async def test_customs_cancels_a_declarant_record_only_where_there_is_one():
    assert "CustomsRegistrationCancelled" in (await apply(deregistration)).types
    without = await apply(deregistration, customs_registered=False)
    assert "CustomsRegistrationCancelled" not in without.types and without.outcome.type == "CaseCompleted"


async def test_the_culture_pass_only_when_chosen():
    assert "CardCulturePassEnabled" in (await apply(social_security_card)).types
    assert (
        "CardCulturePassEnabled" not in (await apply(social_security_card, enable_culture_pass=False)).types
    )
