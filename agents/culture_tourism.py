"""文化广电旅游局: the 社保卡 as a pass to libraries, museums and scenic spots (文旅一卡通)."""

from __future__ import annotations

from streams.conditions import Condition
from streams.department import Department
from streams.events import Event, NewEvent, emit
from streams.facts import carry

department = Department("culture_tourism", "文化广电旅游局")


@department.matter(
    "card_culture_pass",
    "社保卡文旅一卡通",
    trigger="SocialSecurityCardIssued",
    done="CardCulturePassEnabled",
    sla_working_days=1,
    when=Condition("enable_culture_pass", "==", True),
)
async def enable_culture_pass(event: Event) -> list[NewEvent]:
    return [emit("CardCulturePassEnabled", **carry(event, "holder", "card_no"))]
