"""人民武装部: reserve registration (预备役登记) of veterans who report in."""

from __future__ import annotations

from agents.registers import figure
from streams.department import Department
from streams.events import Event, NewEvent, emit

department = Department("armed_forces", "人民武装部")


@department.matter(
    "reserve_registration",
    "退役士兵预备役登记",
    trigger="VeteranReported",
    done="ReserveRegistered",
    sla_working_days=3,
)
async def register_reserve(event: Event) -> list[NewEvent]:
    unit = f"{event['settlement_division']}预备役连第{1 + figure('reserve_unit', event['veteran'], 3)}排"
    return [emit("ReserveRegistered", veteran=event["veteran"], unit=unit)]
