"""供电公司: the power connection plan after the joint site survey."""

from __future__ import annotations

from streams.conditions import Condition
from streams.department import Department
from streams.events import Event, NewEvent, emit
from streams.rules import rule

department = Department("power_supply", "供电公司")

# Up to 160 kVA connects at low voltage free of charge (小微企业“三零”服务); 10 kV public lines
# take up to 8000 kVA; more needs a dedicated substation.
LOW_VOLTAGE_LIMIT_KVA = 160.0
MEDIUM_VOLTAGE_LIMIT_KVA = 8000.0
# The customer's own 受电工程 at 10 kV (illustrative cost per kVA).
MEDIUM_VOLTAGE_COST_PER_KVA = 200.0


@rule("power_capacity_kva")
def within_a_public_line(payload, on):
    capacity, limit = payload["power_capacity_kva"], MEDIUM_VOLTAGE_LIMIT_KVA
    if capacity > limit:
        return [f"用电容量 {capacity:.0f} kVA 超过 10kV 公用线路上限 {limit:.0f} kVA，须建设专用变电站"]
    return []


@department.matter(
    "power_hookup_plan",
    "供电接入方案",
    trigger="JointSiteSurveyCompleted",
    done="PowerHookupPlanned",
    sla_working_days=2,
    when=Condition("needs_power", "==", True),
    rules=(within_a_public_line,),
)
async def plan_power(event: Event) -> list[NewEvent]:
    capacity = event["power_capacity_kva"]
    low = capacity <= LOW_VOLTAGE_LIMIT_KVA
    return [
        emit(
            "PowerHookupPlanned",
            uscc=event["uscc"],
            plan_no="GD" + event["survey_no"],
            voltage="0.4kV" if low else "10kV",
            capacity_kva=capacity,
            connection_fee_yuan=0.0 if low else capacity * MEDIUM_VOLTAGE_COST_PER_KVA,
        )
    ]
