"""城管局: outdoor signboards (户外招牌设置)."""

from __future__ import annotations

from streams.conditions import Condition
from streams.department import Department, reject
from streams.events import Event, NewEvent, emit

department = Department("urban_management", "城市管理局")

MAX_SIGNBOARD_CHARS = 20


@department.matter(
    "outdoor_signboard",
    "户外招牌设置",
    trigger="BusinessLicenseIssued",
    done="SignboardApproved",
    sla_working_days=5,
    when=Condition("signboard_text", "!=", ""),
)
async def approve_signboard(event: Event) -> list[NewEvent]:
    text = event["signboard_text"]
    if len(text) > MAX_SIGNBOARD_CHARS:
        return [reject(f"招牌文字超过 {MAX_SIGNBOARD_CHARS} 字")]
    return [emit("SignboardApproved", approval_no="ZP" + event["uscc"][-8:], signboard_text=text)]
