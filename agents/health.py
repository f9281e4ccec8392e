"""卫健委: health certificates for food-handling staff (从业人员健康证明)."""

from __future__ import annotations

from streams.department import Department, reject
from streams.events import Event, NewEvent, emit

department = Department("health", "卫生健康委员会")


@department.matter(
    "staff_health_certificates",
    "从业人员健康证明",
    trigger="BusinessLicenseIssued",
    done="HealthCertificatesIssued",
    sla_working_days=3,
)
async def issue_health_certificates(event: Event) -> list[NewEvent]:
    if event["staff_count"] < 1:
        return [reject("餐饮店须至少登记一名从业人员")]
    return [emit("HealthCertificatesIssued", certificate_count=event["staff_count"])]
