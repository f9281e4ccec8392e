"""The 12345 hotline's follow-up (回访) of every closed issue: a call, or a visit after supervision."""

from __future__ import annotations

from streams.department import Department
from streams.events import Event, NewEvent, emit
from streams.issues import model as m

department = Department("hotline_12345", "12345热线回访组")


@department.matter("follow_up", "办结回访", trigger=m.CLOSED, done=m.FOLLOWED_UP, sla_working_days=3)
async def follow_up(event: Event) -> list[NewEvent]:
    supervised = event["escalations"] > 0 or event["mode"] == "JOINT_MEETING"
    return [
        emit(
            m.FOLLOWED_UP,
            method="VISIT" if supervised else "PHONE",
            by=department.name,
            outcome="企业确认问题已解决，未再出现" if event["rating"] in m.SATISFIED else "企业仍有意见",
            problem_solved=event["rating"] in m.SATISFIED,
        )
    ]
