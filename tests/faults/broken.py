"""Departments with the bugs real plug-ins have, run beside the real ones in the fault tests."""

from __future__ import annotations

from streams.conditions import Condition
from streams.department import Department
from streams.events import Event, NewEvent, emit

department = Department("careless", "粗心部门")


# Compares a string field with a number: raises TypeError in the condition, outside any handler.
@department.matter(
    "big_business_check",
    "大店核查",
    trigger="RestaurantApplicationSubmitted",
    done="HealthCertificatesIssued",
    sla_working_days=1,
    when=Condition("business_name", ">", 300),
)
async def check(event: Event) -> list[NewEvent]:
    return [emit("HealthCertificatesIssued", certificate_count=1)]
