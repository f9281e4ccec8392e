"""Recent 一件事 cases from the log: id, flow, applicant, state and when each was opened.

Pure: events in, rows out; the same fold the dashboard uses (streams/dashboard/cases.py), so the
command line and the dashboard never disagree about a case's state.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from streams.calendar import CHINA
from streams.dashboard.cases import COMPLETED, OPEN, OVERDUE, REJECTED_STATE, by_case, fold_grouped
from streams.events import Event
from streams.flows import FlowMap
from streams.tracker import from_millis

# What `--state` accepts; an overdue case is still open. `done` is the everyday word for completed.
STATES = {
    OPEN: (OPEN, OVERDUE),
    COMPLETED: (COMPLETED,),
    "done": (COMPLETED,),
    REJECTED_STATE: (REJECTED_STATE,),
}


@dataclass(frozen=True)
class CaseRow:
    case_id: str
    flow: str
    subject: str
    state: str  # open, overdue, completed or rejected
    opened: datetime  # Beijing time on the platform clock
    ended: datetime | None

    def as_dict(self) -> dict[str, str | None]:
        return {
            "case_id": self.case_id,
            "flow": self.flow,
            "subject": self.subject,
            "state": self.state,
            "opened": self.opened.isoformat(timespec="seconds"),
            "ended": self.ended.isoformat(timespec="seconds") if self.ended else None,
        }


def _beijing(ms: int) -> datetime:
    return from_millis(ms).astimezone(CHINA)


def recent_cases(
    events: Iterable[Event],
    flow_map: FlowMap,
    now: datetime,
    *,
    flow: str | None = None,
    state: str | None = None,
    limit: int | None = None,
) -> list[CaseRow]:
    """Newest first; only ``flow``'s, only those in ``state`` (a key of STATES), at most ``limit``."""
    if flow is not None and flow not in flow_map.flows:
        raise LookupError(f"unknown flow {flow}; known: {', '.join(flow_map.flows)}")
    grouped = by_case(events)
    wanted = STATES[state] if state else None
    rows = []
    for view in fold_grouped(grouped, flow_map, now)[0]:
        if (flow and view.flow != flow) or (wanted and view.state not in wanted):
            continue
        application = next(e for e in grouped[view.case_id] if e.type in flow_map.by_application)
        rows.append(
            CaseRow(
                case_id=view.case_id,
                flow=view.flow,
                subject=application.subject,
                state=view.state,
                opened=_beijing(view.started),
                ended=_beijing(view.ended) if view.ended else None,
            )
        )
        if limit is not None and len(rows) == limit:
            break
    return rows
