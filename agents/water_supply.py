"""供水公司: the water connection plan after the joint site survey."""

from __future__ import annotations

from streams.conditions import Condition
from streams.department import Department
from streams.events import Event, NewEvent, emit

department = Department("water_supply", "供水公司")

# Pipe size (公称直径 DN) by building area.
DIAMETERS_MM = ((2000.0, 50), (10000.0, 100))
LARGEST_DIAMETER_MM = 150


def pipe_diameter(building_area_m2: float) -> int:
    return next((dn for limit, dn in DIAMETERS_MM if building_area_m2 <= limit), LARGEST_DIAMETER_MM)


@department.matter(
    "water_hookup_plan",
    "供水接入方案",
    trigger="JointSiteSurveyCompleted",
    done="WaterHookupPlanned",
    sla_working_days=2,
    when=Condition("needs_water", "==", True),
)
async def plan_water(event: Event) -> list[NewEvent]:
    return [
        emit(
            "WaterHookupPlanned",
            uscc=event["uscc"],
            plan_no="GS" + event["survey_no"],
            pipe_diameter_mm=pipe_diameter(event["building_area_m2"]),
        )
    ]
