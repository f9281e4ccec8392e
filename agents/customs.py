"""海关: cancels a deregistered enterprise's customs declarant record (报关单位备案)."""

from __future__ import annotations

from streams.conditions import Condition
from streams.department import Department
from streams.events import Event, NewEvent, emit

department = Department("customs", "海关")


@department.matter(
    "customs_deregistration",
    "报关单位备案注销",
    trigger="CompanyDeregistered",
    done="CustomsRegistrationCancelled",
    sla_working_days=1,
    when=Condition("customs_registered", "==", True),
)
async def cancel_customs_record(event: Event) -> list[NewEvent]:
    return [emit("CustomsRegistrationCancelled", uscc=event["uscc"])]
