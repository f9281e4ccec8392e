"""部门承办席: every department's issue desk, as one simulated department.

The lead department (payload ``lead_department``) signs for an assignment and answers with evidence;
assisting departments report to it. How a desk behaves follows the issue's data:

- a description outside the department's remit (e.g. 快递 for the transport bureau) → objection;
- 历史遗留问题 (a legacy problem) → signs, then answers only once supervised (escalated or alerted);
- 需现场核查 (needs a site check) → interim reply and one extension, answers when it is granted;
- the environment bureau asks to close as soon as it answers (refused: the enterprise has not rated);
- after a bad rating the desk fixes the problem and answers again.
"""

from __future__ import annotations

from dataclasses import dataclass

from agents.enterprise_issues.answers import answer
from streams.department import Department
from streams.events import Event, NewEvent, emit
from streams.issues import model as m
from streams.issues.routing import department_name

department = Department("issue_desks", "部门承办席（涉企问题）")

WITH_ANSWER = (m.HANDLING_STARTED, m.INTERIM_REPLIED, m.CLOSE_REQUESTED)
SITE_CHECK_DAYS = 5.0


@dataclass(frozen=True)
class Objection:
    category: str
    keywords: tuple[str, ...]
    reason: str
    suggested: str | None


@dataclass(frozen=True)
class DeskProfile:
    objections: tuple[Objection, ...] = ()
    # Asks to close with its answer, before the enterprise rated (急于销号).
    eager_close: bool = False


PROFILES = {
    "transport": DeskProfile(
        objections=(
            Objection("logistics", ("快递", "寄递", "快件"), "快递末端派送属邮政管理部门监管职责", "postal"),
        )
    ),
    "administrative_approval": DeskProfile(
        objections=(
            Objection(
                "approval",
                ("施工许可", "竣工验收"),
                "施工许可和竣工验收由住房和城乡建设部门办理",
                "housing",
            ),
        )
    ),
    "ecology_environment": DeskProfile(eager_close=True),
}


def objection_to(event: Event) -> Objection | None:
    profile = PROFILES.get(event["lead_department"], DeskProfile())
    for objection in profile.objections:
        if objection.category == event["category"] and any(
            k in event["description"] for k in objection.keywords
        ):
            return objection
    return None


def _office(event: Event) -> str:
    if event["mode"] == "JOINT_MEETING":
        return "联席会议办公室"
    return f"{department_name(event['lead_department'], event['tier'])}企业服务科"


def _answer(event: Event, *, first: bool) -> list[NewEvent]:
    lead = event["lead_department"]
    outputs = [answer(event.case_id, lead, event["category"], list(event["tags"]), first=first)]
    if PROFILES.get(lead, DeskProfile()).eager_close:
        outputs.append(emit(m.CLOSE_REQUESTED, requested_by=lead, note="已答复企业，申请办结"))
    return outputs


@department.matter(
    "take_assignment",
    "承办分派的涉企问题",
    trigger=m.ASSIGNED,
    done=m.ANSWERED,
    also_emits=(m.OBJECTED, m.HANDLING_STARTED, m.INTERIM_REPLIED, m.EXTENSION_REQUESTED, m.CLOSE_REQUESTED),
    sla_working_days=15,
)
async def take_assignment(event: Event) -> list[NewEvent]:
    lead, tags = event["lead_department"], list(event["tags"])
    if objection := objection_to(event):
        return [
            emit(
                m.OBJECTED,
                department=lead,
                reason=objection.reason,
                suggested_department=objection.suggested,
            )
        ]
    outputs = [emit(m.HANDLING_STARTED, department=lead, handler=_office(event), note=event["reason"])]
    outputs += [
        emit(m.INTERIM_REPLIED, department=helper, message=f"{department_name(helper)}协办意见已报送牵头单位")
        for helper in event["assisting_departments"]
    ]
    if m.TAG_LEGACY in tags:
        return outputs  # a legacy problem waits for supervision
    if m.TAG_SITE_CHECK in tags:
        return [
            *outputs,
            emit(m.INTERIM_REPLIED, department=lead, message="已安排现场核查，核查后正式答复"),
            emit(
                m.EXTENSION_REQUESTED,
                department=lead,
                working_days=SITE_CHECK_DAYS,
                reason="需现场核查并组织专家论证",
            ),
        ]
    return outputs + _answer(event, first=True)


@department.matter(
    "answer_after_extension",
    "延期后答复",
    trigger=m.EXTENSION_GRANTED,
    done=m.ANSWERED,
    also_emits=WITH_ANSWER,
    sla_working_days=5,
)
async def answer_after_extension(event: Event) -> list[NewEvent]:
    brief = _brief(event, lead=event["department"])
    return _answer(brief, first=True)


@department.matter(
    "answer_under_supervision",
    "督办后答复",
    trigger=m.ESCALATED,
    done=m.ANSWERED,
    also_emits=WITH_ANSWER,
    sla_working_days=5,
)
async def answer_under_supervision(event: Event) -> list[NewEvent]:
    return _answer(_brief(event, lead=event["lead_department"]), first=False)


@department.matter(
    "answer_alert",
    "预警后答复",
    trigger=m.STUCK,
    done=m.ANSWERED,
    also_emits=WITH_ANSWER,
    sla_working_days=1,
)
async def answer_alert(event: Event) -> list[NewEvent]:
    # A leader pushes the stuck issue (领导督办); only one a department still holds gets an answer.
    if event["lead_department"] is None or event["status"] not in ("assigned", "handling", "overdue"):
        return []
    return _answer(_brief(event, lead=event["lead_department"]), first=False)


@department.matter(
    "fix_after_bad_rating",
    "差评整改",
    trigger=m.REOPENED,
    done=m.ANSWERED,
    also_emits=WITH_ANSWER,
    sla_working_days=15,
)
async def fix_after_bad_rating(event: Event) -> list[NewEvent]:
    return _answer(_brief(event, lead=event["lead_department"]), first=False)


def _brief(event: Event, *, lead: str) -> Event:
    """The fields ``_answer`` reads, from any event that carries the issue's category and tags."""
    payload = {
        "lead_department": lead,
        "category": event["category"],
        "tags": event["tags"],
        "mode": event.payload.get("mode", "SINGLE"),
        "tier": event.payload.get("to_tier") or event.payload.get("tier") or "COUNTY",
    }
    return Event(event.type, payload, event.envelope, event.topic)
