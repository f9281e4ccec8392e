"""Cases folded from the event log: each case's flow, state, deadlines and who held each matter.

Pure: events in, plain data out. The tracker's table answers "what is open on this worker"; the
dashboard answers from the log, so it sees every worker's cases and their whole history.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property

from streams.bundles import BUNDLE_COMPLETED, BUNDLE_REQUESTED
from streams.calendar import add_working_days, working_days_between
from streams.case_window import Lifecycle
from streams.department import REJECTED
from streams.events import Event
from streams.flows import FlowMap
from streams.issues import model as m
from streams.tracker import CASE_OUTCOMES, from_millis, millis

OPEN, OVERDUE, COMPLETED, REJECTED_STATE = "open", "overdue", "completed", "rejected"
STATES = (OPEN, OVERDUE, COMPLETED, REJECTED_STATE)
CLOSING = frozenset({*CASE_OUTCOMES, BUNDLE_COMPLETED, m.CLOSED})


def closes(event: Event) -> bool:
    """Whether the event ends its case, bundle or issue. A merge ends the duplicate issue only."""
    if event.type == m.MERGED:
        return event.payload.get("duplicate_issue_id") == event.case_id
    return event.type in CLOSING


def lifecycle(flow_map: FlowMap) -> Lifecycle:
    """How the dashboard tells open work (always held) from closed (held while in its window)."""
    opening = {*flow_map.by_application, BUNDLE_REQUESTED, m.RAISED}
    return Lifecycle(opening=opening, closes=closes, reopening={m.REOPENED})


@dataclass(frozen=True)
class Holding:
    """One matter of a case: which department held it, from when, until when, against which deadline."""

    matter: str
    department: str
    started: int | None  # ms; None while its trigger has not arrived
    due: int | None
    ended: int | None  # done or rejected
    rejected: bool

    @property
    def late(self) -> bool:
        """Finished after its deadline, or still held past it (checked against ``now`` elsewhere)."""
        return self.due is not None and self.ended is not None and self.ended > self.due

    def held_working_days(self, now: int) -> float | None:
        if self.started is None:
            return None
        if self.ended is not None:
            return self._days_held
        return round(working_days_between(from_millis(self.started), from_millis(now)), 2)

    @cached_property
    def _days_held(self) -> float:
        # An ended holding's days do not change: counted once, kept with the (reused) view.
        assert self.started is not None and self.ended is not None
        return round(working_days_between(from_millis(self.started), from_millis(self.ended)), 2)


@dataclass(frozen=True)
class CaseView:
    case_id: str
    flow: str
    state: str  # one of STATES
    started: int
    due: int
    ended: int | None
    escalated: bool
    holdings: tuple[Holding, ...]

    @property
    def open(self) -> bool:
        return self.state in (OPEN, OVERDUE)


# An ended case's view, with the number of its events it was folded from.
EndedViews = Mapping[str, tuple[int, CaseView]]


def by_case(events: Iterable[Event]) -> dict[str, list[Event]]:
    grouped: dict[str, list[Event]] = defaultdict(list)
    for event in events:
        grouped[event.case_id].append(event)
    return grouped


def fold_case(case_id: str, events: list[Event], flow_map: FlowMap, now: datetime) -> CaseView | None:
    """The case's view, or None when these events are not an 一件事 case (an issue, say)."""
    events = sorted(events, key=lambda e: millis(e.envelope["occurred_at"]))
    application = next((e for e in events if e.type in flow_map.by_application), None)
    if application is None:
        return None
    flow = flow_map.by_application[application.type]
    first: dict[str, int] = {}
    for event in events:
        first.setdefault(event.type, millis(event.envelope["occurred_at"]))
    started = first[application.type]
    due = millis(add_working_days(from_millis(started), flow.sla_working_days))
    rejections = {
        f"{e['department']}.{e['matter']}": millis(e.envelope["occurred_at"])
        for e in events
        if e.type == REJECTED
    }
    holdings = []
    for key in flow_map.required_matters(flow, application.payload):
        matter = flow_map.matters[key]
        triggers = [first.get(t) for t in matter.triggers]
        begun = max(triggers) if all(t is not None for t in triggers) else None
        ended = first.get(matter.done) or rejections.get(key)
        holdings.append(
            Holding(
                matter=key,
                department=matter.department,
                started=begun,
                due=None
                if begun is None
                else millis(add_working_days(from_millis(begun), matter.sla_working_days)),
                ended=ended if begun is not None else None,
                rejected=key in rejections and first.get(matter.done) is None,
            )
        )
    ended = first.get("CaseCompleted") or first.get("CaseRejected")
    escalated = "CaseEscalated" in first
    if "CaseCompleted" in first:
        state = COMPLETED
    elif "CaseRejected" in first:
        state = REJECTED_STATE
    else:
        state = OVERDUE if escalated or millis(now) > due else OPEN
    return CaseView(case_id, flow.name, state, started, due, ended, escalated, tuple(holdings))


def fold_cases(events: Iterable[Event], flow_map: FlowMap, now: datetime) -> list[CaseView]:
    """Every case in the log, newest first."""
    return fold_grouped(by_case(events), flow_map, now)[0]


def fold_grouped(
    grouped: Mapping[str, list[Event]], flow_map: FlowMap, now: datetime, ended: EndedViews | None = None
) -> tuple[list[CaseView], dict[str, tuple[int, CaseView]]]:
    """Every case, newest first, and the ended cases' views for the next fold to reuse: an ended
    case does not change with the clock, only with an event of its own (``ended`` from the last)."""
    ended = ended or {}
    views, still_ended = [], {}
    for case_id, events in grouped.items():
        known = ended.get(case_id)
        view = known[1] if known and known[0] == len(events) else fold_case(case_id, events, flow_map, now)
        if view is None:
            continue
        views.append(view)
        if not view.open:
            still_ended[case_id] = (len(events), view)
    views.sort(key=lambda v: v.started, reverse=True)
    return views, still_ended
