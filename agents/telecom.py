"""通信运营商: the broadband connection plan after the joint site survey."""

from __future__ import annotations

from streams.conditions import Condition
from streams.department import Department
from streams.events import Event, NewEvent, emit

department = Department("telecom", "通信运营商")

GIGABIT_FROM_M2 = 2000.0


@department.matter(
    "telecom_hookup_plan",
    "通信接入方案",
    trigger="JointSiteSurveyCompleted",
    done="TelecomHookupPlanned",
    sla_working_days=2,
    when=Condition("needs_telecom", "==", True),
)
async def plan_telecom(event: Event) -> list[NewEvent]:
    bandwidth = 1000 if event["building_area_m2"] > GIGABIT_FROM_M2 else 500
    return [
        emit(
            "TelecomHookupPlanned",
            uscc=event["uscc"],
            plan_no="TX" + event["survey_no"],
            bandwidth_mbps=bandwidth,
        )
    ]
