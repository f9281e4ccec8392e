"""燃气公司: the gas connection plan after the joint site survey."""

from __future__ import annotations

from streams.conditions import Condition
from streams.department import Department
from streams.events import Event, NewEvent, emit

department = Department("gas_supply", "燃气公司")

# Larger buildings are fed from the medium-pressure network through their own regulator.
MEDIUM_PRESSURE_FROM_M2 = 5000.0


@department.matter(
    "gas_hookup_plan",
    "燃气接入方案",
    trigger="JointSiteSurveyCompleted",
    done="GasHookupPlanned",
    sla_working_days=2,
    when=Condition("needs_gas", "==", True),
)
async def plan_gas(event: Event) -> list[NewEvent]:
    pressure = "中压" if event["building_area_m2"] > MEDIUM_PRESSURE_FROM_M2 else "低压"
    return [
        emit(
            "GasHookupPlanned", uscc=event["uscc"], plan_no="RQ" + event["survey_no"], pressure_class=pressure
        )
    ]
