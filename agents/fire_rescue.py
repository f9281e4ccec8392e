"""消防救援支队: the pre-opening fire safety inspection of public gathering places."""

from __future__ import annotations

from streams.conditions import Condition
from streams.department import Department
from streams.events import Event, NewEvent, emit

department = Department("fire_rescue", "消防救援支队")

# Only premises above 300 m² need the inspection before opening.
INSPECTION_THRESHOLD_M2 = 300


@department.matter(
    "fire_safety_inspection",
    "公众聚集场所营业前消防安全检查",
    trigger="BusinessLicenseIssued",
    done="FireSafetyInspectionPassed",
    sla_working_days=10,
    when=Condition("premises_area_m2", ">", INSPECTION_THRESHOLD_M2),
    manual="现场检查",
    typical_working_days=7,
)
async def inspect_premises(event: Event) -> list[NewEvent]:
    return [
        emit(
            "FireSafetyInspectionPassed",
            inspection_no="XF" + event["uscc"][-8:],
            premises_area_m2=event["premises_area_m2"],
        )
    ]
