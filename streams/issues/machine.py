"""The issue state machine: folds one event into an issue's state and decides what follows.

Pure (no Kafka, no faust, no clock): time comes from the events' ``occurred_at``, so a replay
decides the same. The worker keeps the returned state in a table keyed by issue id and publishes the
returned events. States::

    raised → accepted → assigned → handling → answered → rated → closed
                          ↑ objection: re-routed      ↘ 不满意: reopened → answered …
    overdue (a deadline passed) → escalated one tier (township → county → city → joint meeting)

Refusals are events too (IssueActionRefused with every reason), never silence: closing needs the
department's evidence and the enterprise's satisfied rating.
"""

from __future__ import annotations

from collections.abc import Callable
from copy import deepcopy
from typing import Any, NamedTuple

from streams.calendar import working_days_between
from streams.events import Event, NewEvent
from streams.issues import model as m
from streams.issues.deadlines import DeadlineBook, DeadlineRules, due
from streams.issues.routing import Assignment, assign, department_name, difficulty_of
from streams.tracker import from_millis, millis

State = dict[str, Any]
Decision = tuple[State | None, list[NewEvent]]

# Events the machine folds in; the ones it emits itself (IssueAssigned, IssueClosed, …) it does not.
INPUTS = (
    m.RAISED,
    m.ACCEPTED,
    m.MERGED,
    m.OBJECTED,
    m.HANDLING_STARTED,
    m.INTERIM_REPLIED,
    m.EXTENSION_REQUESTED,
    m.ANSWERED,
    m.RATED,
    m.CLOSE_REQUESTED,
    m.OVERDUE,
    m.STUCK,
    m.FOLLOWED_UP,
)
OUTPUTS = (m.ASSIGNED, m.CLOSED, m.REOPENED, m.ESCALATED, m.EXTENSION_GRANTED, m.REFUSED)
# Where someone is still expected to act on the issue (not waiting for the enterprise).
WORKING = frozenset({m.S_ASSIGNED, m.S_HANDLING, m.S_REOPENED, m.S_OVERDUE, m.S_ESCALATED})


class Deadline(NamedTuple):
    stage: str
    at: int  # ms
    cause: dict[str, Any]  # envelope of the event that set it: the cause of an overdue notice


def new_issue_state(issue_id: str) -> State:
    return {
        "issue_id": issue_id,
        "status": None,
        "channel": None,
        "uscc": None,
        "enterprise_name": None,
        "category": None,
        "description": None,
        "raised_tier": None,
        "tier": None,
        "city": None,
        "difficulty": None,
        "tags": [],
        "raised_at": None,
        "accepted_at": None,
        "closed_at": None,
        "mode": None,
        "lead": None,
        "assisting": [],
        "objected": [],
        "round": 0,
        "object_by": None,
        "due": {},  # stage -> {"at": ms, "cause": envelope}
        "replied": False,
        "awaiting_rating": False,
        "answers": 0,
        "answered_at": None,  # ms of the latest answer and rating: closure waits for both
        "evidence": [],
        "ratings": [],
        "rated_at": None,
        "reopened": 0,
        "extension_used": False,
        "overdue": [],  # "STAGE@ms" of deadlines reported late
        "stuck": [],  # "STAGE@ms" of deadlines alerted as stuck
        "escalations": 0,
        "follow_ups": 0,
        "merged_into": None,
        "merged_reports": [],
    }


def deadline_key(stage: str, at: int) -> str:
    return f"{stage}@{at}"


def current_deadline(state: State) -> Deadline | None:
    """The next deadline of an open issue: the one the watchdog compares with the clock."""
    if state["status"] in m.FINAL_STATUSES or not state["due"]:
        return None
    stage, entry = min(state["due"].items(), key=lambda item: item[1]["at"])
    return Deadline(stage, entry["at"], entry["cause"])


def closure_problems(state: State) -> list[str]:
    """Why the issue cannot be closed now; empty when it can."""
    if state["status"] == m.S_CLOSED:
        return ["问题已办结"]
    if state["status"] == m.S_MERGED:
        return [f"问题已合并至 {state['merged_into']}"]
    problems = []
    if not state["answers"]:
        problems.append("承办单位尚未答复企业")
    if not state["evidence"]:
        problems.append("缺少承办单位的办理证据")
    if state["awaiting_rating"] or not state["ratings"]:
        problems.append("企业尚未评价")
    elif state["ratings"][-1] not in m.SATISFIED:
        problems.append(f"企业评价为“{m.RATINGS[state['ratings'][-1]]}”，须整改后重新评价")
    return problems


def _at(event: Event) -> int:
    return millis(event.envelope["occurred_at"])


def _cause(event: Event) -> dict[str, Any]:
    envelope = event.envelope
    return {
        "event_id": event.event_id,
        "case_id": envelope["case_id"],
        "correlation_id": envelope["correlation_id"],
        "subject": envelope["subject"],
        "trace": envelope["trace"],
    }


def _not_ours(department: str) -> str:
    return f"{department_name(department)}不是本问题的承办单位"


def _refuse(action: str, by: str, *reasons: str) -> NewEvent:
    return NewEvent(m.REFUSED, {"action": action, "by": by, "reasons": list(reasons)})


class IssueMachine:
    def __init__(self, book: DeadlineBook | None = None) -> None:
        self.book = book or DeadlineBook()
        self._handlers: dict[str, Callable[[State, Event], list[NewEvent]]] = {
            m.RAISED: self._raised,
            m.ACCEPTED: self._accepted,
            m.MERGED: self._merged,
            m.OBJECTED: self._objected,
            m.HANDLING_STARTED: self._handling_started,
            m.INTERIM_REPLIED: self._interim_replied,
            m.EXTENSION_REQUESTED: self._extension_requested,
            m.ANSWERED: self._answered,
            m.RATED: self._rated,
            m.CLOSE_REQUESTED: self._close_requested,
            m.OVERDUE: self._overdue,
            m.STUCK: self._stuck,
            m.FOLLOWED_UP: self._followed_up,
        }

    def rules(self, state: State) -> DeadlineRules:
        return self.book.for_city(state["city"])

    def apply(self, state: State | None, event: Event) -> Decision:
        """The issue's new state and the events to publish, each caused by ``event``."""
        handler = self._handlers.get(event.type)
        # Redeliveries never get here: the runtime drops event ids the agent already processed.
        if handler is None:
            return state, []
        if state is None:
            if event.type in _ACTION_OF:
                # Someone acted on an issue nobody raised: say so rather than keep a state for it.
                return None, [_refuse(_ACTION_OF[event.type], _actor(event), "问题编号不存在")]
            if event.type not in (m.RAISED, m.ACCEPTED, m.MERGED):
                return None, []
            state = new_issue_state(event.case_id)
        else:
            state = deepcopy(state)
        return state, handler(state, event)

    # --- intake -------------------------------------------------------------------------------

    def _take_details(self, state: State, payload: dict[str, Any]) -> None:
        for name in ("channel", "uscc", "enterprise_name", "category", "description", "city"):
            if state[name] is None and payload.get(name) is not None:
                state[name] = payload[name]
        if state["raised_tier"] is None and payload.get("tier"):
            state["raised_tier"] = state["tier"] = payload["tier"]
        if not state["tags"]:
            state["tags"] = list(payload.get("tags") or [])
        if state["difficulty"] is None and state["category"]:
            state["difficulty"] = difficulty_of(state["category"], payload.get("difficulty"))

    def _raised(self, state: State, event: Event) -> list[NewEvent]:
        self._take_details(state, event.payload)
        if state["status"] is None:
            state["status"] = m.S_RAISED
            state["raised_at"] = _at(event)
            self._set_due(state, "ACCEPT", due(_at(event), self.rules(state).accept), event)
        return []

    def _accepted(self, state: State, event: Event) -> list[NewEvent]:
        if state["accepted_at"] is not None or state["status"] == m.S_MERGED:
            return []
        self._take_details(state, event.payload)
        raised_at = state["raised_at"] or millis(event["raised_at"])
        state["raised_at"] = raised_at
        state["accepted_at"] = _at(event)
        state["status"] = m.S_ACCEPTED
        state["due"].pop("ACCEPT", None)
        rules = self.rules(state)
        assignment = assign(state["category"], state["tier"], state["difficulty"])
        limit = rules.resolve if assignment.mode == "SINGLE" else rules.complex
        self._set_due(state, "REPLY", due(raised_at, rules.reply), event)
        self._set_due(state, "RESOLVE", due(raised_at, limit), event)
        return [self._assign(state, assignment, event)]

    def _merged(self, state: State, event: Event) -> list[NewEvent]:
        if event.case_id == event["duplicate_issue_id"]:
            self._take_details(state, event.payload)
            state["status"] = m.S_MERGED
            state["merged_into"] = event["surviving_issue_id"]
            state["due"] = {}
        elif event["duplicate_issue_id"] not in state["merged_reports"]:
            state["merged_reports"].append(event["duplicate_issue_id"])
        return []

    # --- assignment ---------------------------------------------------------------------------

    def _assign(self, state: State, assignment: Assignment, event: Event) -> NewEvent:
        state.update(
            status=m.S_ASSIGNED,
            mode=assignment.mode,
            lead=assignment.lead,
            assisting=list(assignment.assisting),
            tier=assignment.tier,
            round=state["round"] + 1,
            object_by=due(_at(event), self.rules(state).objection),
        )
        return NewEvent(
            m.ASSIGNED,
            {
                "round": state["round"],
                "mode": assignment.mode,
                "lead_department": assignment.lead,
                "assisting_departments": list(assignment.assisting),
                "tier": assignment.tier,
                "difficulty": state["difficulty"],
                "category": state["category"],
                "description": state["description"],
                "tags": state["tags"],
                "uscc": state["uscc"],
                "enterprise_name": state["enterprise_name"],
                "reason": assignment.reason,
                "object_by": state["object_by"],
                "reply_by": state["due"]["REPLY"]["at"] if "REPLY" in state["due"] else None,
                "resolve_by": self._resolve_by(state),
            },
        )

    def _objected(self, state: State, event: Event) -> list[NewEvent]:
        department = event["department"]
        problems = []
        if department != state["lead"]:
            problems.append(_not_ours(department))
        if state["status"] != m.S_ASSIGNED:
            problems.append(f"问题{m.STATUS_NAMES.get(state['status'], state['status'])}，不能再提出异议")
        elif state["object_by"] is not None and _at(event) > state["object_by"]:
            problems.append(f"超过异议期限（分派后{self.rules(state).objection:g}个工作日内）")
        if problems:
            return [_refuse("OBJECTION", department, *problems)]
        state["objected"].append(department)
        reassignment = assign(
            state["category"],
            state["tier"],
            state["difficulty"],
            objected=state["objected"],
            suggested=event.payload.get("suggested_department"),
        )
        return [self._assign(state, reassignment, event)]

    # --- handling -----------------------------------------------------------------------------

    def _handling_started(self, state: State, event: Event) -> list[NewEvent]:
        department = event["department"]
        if department not in (state["lead"], *state["assisting"]):
            return [_refuse("HANDLING", department, _not_ours(department))]
        if state["status"] in m.FINAL_STATUSES:
            return [_refuse("HANDLING", department, f"问题{m.STATUS_NAMES[state['status']]}")]
        if state["status"] in WORKING and department == state["lead"]:
            state["status"] = m.S_HANDLING
        return []

    def _interim_replied(self, state: State, event: Event) -> list[NewEvent]:
        department = event["department"]
        if department not in (state["lead"], *state["assisting"]):
            return [_refuse("INTERIM_REPLY", department, _not_ours(department))]
        if state["status"] in m.FINAL_STATUSES:
            return [_refuse("INTERIM_REPLY", department, f"问题{m.STATUS_NAMES[state['status']]}")]
        if department == state["lead"]:
            # The lead's interim reply to the enterprise meets the reply deadline (阶段性答复); an
            # assisting department's report goes to the lead, not to the enterprise.
            state["replied"] = True
            state["due"].pop("REPLY", None)
            if state["status"] == m.S_ASSIGNED:
                state["status"] = m.S_HANDLING
        return []

    def _extension_requested(self, state: State, event: Event) -> list[NewEvent]:
        department, days = event["department"], float(event["working_days"])
        rules = self.rules(state)
        current = state["due"].get("RESOLVE") or state["due"].get("FIX")
        problems = []
        if department != state["lead"]:
            problems.append("只有承办（牵头）单位可以申请延期")
        if state["status"] not in WORKING:
            problems.append(f"问题{m.STATUS_NAMES.get(state['status'], state['status'])}，不能申请延期")
        if state["extension_used"]:
            problems.append("本问题已延期一次，不能再次延期")
        if not 0 < days <= rules.extension_max:
            problems.append(f"延期须为 1 至 {rules.extension_max:g} 个工作日")
        if current and due(_at(event), rules.extension_notice) > current["at"]:
            problems.append(f"延期须在办理时限前{rules.extension_notice:g}个工作日提出")
        if problems or current is None:
            return [_refuse("EXTENSION", department, *(problems or ["问题没有可延长的办理时限"]))]
        stage = "RESOLVE" if "RESOLVE" in state["due"] else "FIX"
        previous = current["at"]
        self._set_due(state, stage, due(previous, days), event)
        state["extension_used"] = True
        return [
            NewEvent(
                m.EXTENSION_GRANTED,
                {
                    "department": department,
                    "working_days": days,
                    "previous_deadline": previous,
                    "new_deadline": state["due"][stage]["at"],
                    "reason": event["reason"],
                    "category": state["category"],
                    "tags": state["tags"],
                },
            )
        ]

    def _answered(self, state: State, event: Event) -> list[NewEvent]:
        department = event["department"]
        if department != state["lead"]:
            return [_refuse("ANSWER", department, "答复须由承办（牵头）单位作出", _not_ours(department))]
        if state["status"] in m.FINAL_STATUSES or state["status"] in (m.S_RAISED, m.S_ACCEPTED):
            return [_refuse("ANSWER", department, f"问题{m.STATUS_NAMES[state['status']]}，不能答复")]
        state["answers"] += 1
        state["answered_at"] = _at(event)
        state["evidence"] = list(dict.fromkeys([*state["evidence"], *event["evidence"]]))
        state["replied"] = True
        state["due"].pop("REPLY", None)
        if not state["awaiting_rating"] and state["ratings"] and state["ratings"][-1] in m.SATISFIED:
            # Evidence supplied after a satisfied rating (even once escalated for it): close now.
            return self._close_if_possible(state, event)
        state["awaiting_rating"] = True
        state["status"] = m.S_ANSWERED
        return []

    # --- rating and closure -------------------------------------------------------------------

    def _rated(self, state: State, event: Event) -> list[NewEvent]:
        rating = event["rating"]
        if not state["awaiting_rating"]:
            why = "问题已办结" if state["status"] == m.S_CLOSED else "没有待评价的答复"
            return [_refuse("RATING", state["uscc"] or event.subject, why)]
        state["awaiting_rating"] = False
        state["ratings"].append(rating)
        state["rated_at"] = _at(event)
        if rating in m.SATISFIED:
            state["status"] = m.S_RATED
            return self._close_if_possible(state, event)
        state["reopened"] += 1
        state["status"] = m.S_REOPENED
        state["due"].pop("RESOLVE", None)
        rules = self.rules(state)
        self._set_due(state, "FIX", due(_at(event), rules.fix), event)
        return [
            NewEvent(
                m.REOPENED,
                {
                    "round": state["reopened"],
                    "rating": rating,
                    "reason": f"企业评价“{m.RATINGS[rating]}”：{event['comment']}",
                    "fix_by": state["due"]["FIX"]["at"],
                    "lead_department": state["lead"],
                    "category": state["category"],
                    "tags": state["tags"],
                },
            )
        ]

    def _close_requested(self, state: State, event: Event) -> list[NewEvent]:
        problems = closure_problems(state)
        if problems:
            return [_refuse("CLOSE", event["requested_by"], *problems)]
        return self._close(state, event)

    def _close_if_possible(self, state: State, event: Event) -> list[NewEvent]:
        return [] if closure_problems(state) else self._close(state, event)

    def _close(self, state: State, event: Event) -> list[NewEvent]:
        # When the last condition was met: an answer and a rating on different topics may be read
        # in either order, and the issue closes on whichever comes second, at the same moment.
        closed_at = max(_at(event), state.get("answered_at") or 0, state.get("rated_at") or 0)
        state.update(status=m.S_CLOSED, closed_at=closed_at, due={})
        return [
            NewEvent(
                m.CLOSED,
                {
                    "lead_department": state["lead"],
                    "channel": state["channel"],
                    "category": state["category"],
                    "tier": state["tier"],
                    "mode": state["mode"],
                    "raised_at": state["raised_at"],
                    "working_days": round(
                        working_days_between(from_millis(state["raised_at"]), from_millis(closed_at)), 4
                    ),
                    # 按时办结: no deadline of the issue ever passed.
                    "on_time": not state["overdue"],
                    "rating": state["ratings"][-1],
                    "reopened": state["reopened"],
                    "escalations": state["escalations"],
                    "evidence": state["evidence"],
                },
            )
        ]

    # --- supervision --------------------------------------------------------------------------

    def _overdue(self, state: State, event: Event) -> list[NewEvent]:
        current = current_deadline(state)
        key = deadline_key(event["stage"], millis(event["deadline"]))
        if current is None or key != deadline_key(current.stage, current.at) or key in state["overdue"]:
            return []  # the watchdog saw an older state: the deadline was met or moved meanwhile
        state["overdue"].append(key)
        state["status"] = m.S_OVERDUE
        if current.stage == "ACCEPT":
            return []  # the intake desk is late; nobody above it to take over: the watchdog alerts
        return self._escalate(state, current, event)

    def _escalate(self, state: State, late: Deadline, event: Event) -> list[NewEvent]:
        upper = m.tier_above(state["tier"])
        if upper is None and state["mode"] == "JOINT_MEETING":
            return []  # nothing above a city joint meeting: the watchdog raises IssueStuck
        from_tier = state["tier"]
        if upper is None:
            state["mode"], to_tier, supervisor = "JOINT_MEETING", "CITY", "市联席会议"
        else:
            to_tier, supervisor = upper, f"{m.TIER_NAMES[upper]}督办室"
        state["tier"] = to_tier
        state["escalations"] += 1
        state["status"] = m.S_ESCALATED
        for stage in ("REPLY", "RESOLVE", "FIX"):
            state["due"].pop(stage, None)
        self._set_due(state, "RESOLVE", due(_at(event), self.rules(state).supervised), event)
        return [
            NewEvent(
                m.ESCALATED,
                {
                    "stage": late.stage,
                    "from_tier": from_tier,
                    "to_tier": to_tier,
                    "mode": state["mode"],
                    "supervised_by": supervisor,
                    "lead_department": state["lead"],
                    "assisting_departments": state["assisting"],
                    "category": state["category"],
                    "tags": state["tags"],
                    "resolve_by": state["due"]["RESOLVE"]["at"],
                    "reason": (
                        f"{m.STAGES[late.stage]}时限已过，由{m.TIER_NAMES[from_tier]}级升级至"
                        f"{supervisor}督办，限{self.rules(state).supervised:g}个工作日内办结"
                    ),
                },
            )
        ]

    def _stuck(self, state: State, event: Event) -> list[NewEvent]:
        key = deadline_key(event["stage"], millis(event["deadline"]))
        if key not in state["stuck"]:
            state["stuck"].append(key)
        return []

    def _followed_up(self, state: State, event: Event) -> list[NewEvent]:
        if state["status"] == m.S_MERGED:
            return [_refuse("FOLLOW_UP", event["by"], f"问题已合并至 {state['merged_into']}")]
        state["follow_ups"] += 1
        return []

    # --- helpers ------------------------------------------------------------------------------

    @staticmethod
    def _set_due(state: State, stage: str, at: int, event: Event) -> None:
        state["due"][stage] = {"at": at, "cause": _cause(event)}

    @staticmethod
    def _resolve_by(state: State) -> int | None:
        entry = state["due"].get("RESOLVE") or state["due"].get("FIX")
        return entry["at"] if entry else None


_ACTION_OF = {
    m.OBJECTED: "OBJECTION",
    m.HANDLING_STARTED: "HANDLING",
    m.INTERIM_REPLIED: "INTERIM_REPLY",
    m.EXTENSION_REQUESTED: "EXTENSION",
    m.ANSWERED: "ANSWER",
    m.RATED: "RATING",
    m.CLOSE_REQUESTED: "CLOSE",
    m.FOLLOWED_UP: "FOLLOW_UP",
}


def _actor(event: Event) -> str:
    payload = event.payload
    return payload.get("department") or payload.get("requested_by") or payload.get("by") or event.producer
