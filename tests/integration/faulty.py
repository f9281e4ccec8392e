"""A department with bugs, plugged into the test worker to prove that failures lose nothing."""

from __future__ import annotations

from streams.department import Department
from streams.events import Event, NewEvent, emit

department = Department("faulty", "故障演练部门")

CRASH = "故障-抛出异常"
WRONG_OUTPUT = "故障-未声明事件"


@department.matter(
    "inspection",
    "故障演练",
    trigger="RestaurantApplicationSubmitted",
    done="HealthCertificatesIssued",
    sla_working_days=1,
)
async def inspect(event: Event) -> list[NewEvent]:
    if event["business_name"] == CRASH:
        raise RuntimeError("inspection backend returned 500")
    if event["business_name"] == WRONG_OUTPUT:
        return [emit("SignboardApproved", approval_no="1", signboard_text="x")]
    return []
