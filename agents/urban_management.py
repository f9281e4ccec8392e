"""城管局: outdoor signboards (户外招牌设置)."""

from __future__ import annotations

from streams.conditions import Condition
from streams.department import Department
from streams.events import Event, NewEvent, emit
from streams.rules import rule

department = Department("urban_management", "城市管理局")

MAX_SIGNBOARD_CHARS = 20


@rule("signboard_text")
def short_signboard(payload, on):
    text = payload["signboard_text"] or ""
    return [f"招牌文字超过 {MAX_SIGNBOARD_CHARS} 字"] if len(text) > MAX_SIGNBOARD_CHARS else []


@department.matter(
    "outdoor_signboard",
    "户外招牌设置",
    trigger="BusinessLicenseIssued",
    done="SignboardApproved",
    sla_working_days=5,
    when=Condition("signboard_text", "!=", ""),
    rules=(short_signboard,),
)
async def approve_signboard(event: Event) -> list[NewEvent]:
    text = event["signboard_text"]
    return [emit("SignboardApproved", approval_no="ZP" + event["uscc"][-8:], signboard_text=text)]
