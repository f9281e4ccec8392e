"""人社局's retirement matters, added to the department OneThing already has."""

from __future__ import annotations

from streams import Checklist, Condition, DepartmentExtension, Event, Material, NewEvent, emit, reject

RETIREMENT_MATERIALS = Checklist(Material("retirement_approval", "退休审批表"))
extension = DepartmentExtension("human_resources")

# 累计缴费满 15 年 before a monthly pension is paid.
MIN_CONTRIBUTION_YEARS = 15


@extension.matter(
    "retirement_pension",
    "基本养老金待遇核定",
    trigger="RetirementApplicationSubmitted",
    done="PensionGranted",
    sla_working_days=5,
    materials=("retirement_approval",),
)
async def grant_pension(event: Event) -> list[NewEvent]:
    if rejection := RETIREMENT_MATERIALS.review(event.payload):
        return [rejection]
    if event["contribution_years"] < MIN_CONTRIBUTION_YEARS:
        return [reject(f"累计缴费 {event['contribution_years']} 年，不满 {MIN_CONTRIBUTION_YEARS} 年")]
    pension = 120.0 * event["contribution_years"]
    return [emit("PensionGranted", retiree=event["retiree"], monthly_pension_yuan=pension)]


@extension.matter(
    "pension_stop",
    "养老金停发",
    trigger="DeathRegistered",
    done="PensionStopped",
    sla_working_days=3,
    when=Condition("receiving_pension", "==", True),
)
async def stop_pension(event: Event) -> list[NewEvent]:
    return [emit("PensionStopped", deceased=event["deceased"], death_date=event["death_date"])]
