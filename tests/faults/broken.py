"""Departments with the bugs real plug-ins have, run beside the real ones in the fault tests."""

from __future__ import annotations

from streams.conditions import Condition
from streams.department import Department
from streams.events import Event, NewEvent, emit

department = Department("careless", "粗心部门")


class MisreadCondition(Condition):
    """A plug-in's own condition with a bug its declaration cannot show (start-up checks refuse a
    declared string-to-number comparison): it reads the name where it meant the area."""

    def holds(self, payload):
        return payload["business_name"] > self.value


# Raises TypeError in the condition, outside any handler, on every application.
@department.matter(
    "big_business_check",
    "大店核查",
    trigger="RestaurantApplicationSubmitted",
    done="HealthCertificatesIssued",
    sla_working_days=1,
    when=MisreadCondition("premises_area_m2", ">", 300),
)
async def check(event: Event) -> list[NewEvent]:
    return [emit("HealthCertificatesIssued", certificate_count=1)]
