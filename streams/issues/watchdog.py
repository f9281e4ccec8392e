"""The watchdog: proves the loop by checking every open issue against its next deadline.

A faust timer calls ``alarms`` for each issue in the worker's table partitions. It cannot change
the table (only the issue agent may), so it returns events to publish: IssueOverdue when the
deadline has passed (the issue agent then escalates), and IssueStuck when it passed more than a
grace period ago and nothing moved it (no escalation possible, or the loop is broken). Each event's
id derives from the event that set the deadline and the stage, so ticks that repeat one publish one
logical event.
"""

from __future__ import annotations

from typing import NamedTuple

from streams.calendar import working_days_between
from streams.events import Event, NewEvent
from streams.issues import model as m
from streams.issues.deadlines import DeadlineBook, due
from streams.issues.machine import State, current_deadline, deadline_key
from streams.tracker import from_millis

_STAGE_INDEX = {stage: index for index, stage in enumerate(m.STAGES)}
_STUCK_OFFSET = 100


class Alarm(NamedTuple):
    event: NewEvent
    cause: Event  # the event that set the deadline
    index: int  # distinguishes alarms of one cause: stable across ticks


def alarms(state: State, now_ms: int, book: DeadlineBook) -> list[Alarm]:
    """What the watchdog must publish for this issue at ``now_ms``; usually nothing."""
    deadline = current_deadline(state)
    if deadline is None or now_ms <= deadline.at:
        return []
    key = deadline_key(deadline.stage, deadline.at)
    cause = Event("", {}, deadline.cause)
    common = {
        "stage": deadline.stage,
        "deadline": deadline.at,
        "status": state["status"],
        "tier": state["tier"] or state["raised_tier"] or "CITY",
        "lead_department": state["lead"],
        "category": state["category"] or "",
        "tags": state["tags"],
    }
    found = []
    if key not in state["overdue"]:
        found.append(Alarm(NewEvent(m.OVERDUE, common), cause, _STAGE_INDEX[deadline.stage]))
    grace = book.for_city(state["city"]).stuck_grace
    if now_ms > due(deadline.at, grace) and key not in state["stuck"]:
        late = working_days_between(from_millis(deadline.at), from_millis(now_ms))
        reason = (
            f"{m.STAGES[deadline.stage]}时限已过{late:.1f}个工作日，"
            f"问题仍{m.STATUS_NAMES.get(state['status'], state['status'])}，未办结也未能升级"
        )
        payload = {**common, "overdue_working_days": round(late, 2), "reason": reason}
        found.append(Alarm(NewEvent(m.STUCK, payload), cause, _STUCK_OFFSET + _STAGE_INDEX[deadline.stage]))
    return found
