"""The figures governments publish about the loop, computed from the issues' events alone.

办结率 closure rate = closed / raised; 满意率 satisfaction = satisfied ratings / ratings; on-time
rate = closed without any deadline passing / closed; 回访率 follow-up rate = closed issues followed
up / closed; average working days from raised to closed; bad-rating fix rate = reopened issues
closed since / reopened. Overall and per department (the one handling it last), channel and
category. A rate with nothing to measure is None. Used by the CLI, the demo and the tests.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from streams.calendar import working_days_between
from streams.events import Event
from streams.issues import model as m
from streams.tracker import from_millis, millis


@dataclass
class IssueFacts:
    """What the summary needs to know about one issue."""

    issue_id: str
    channel: str | None = None
    category: str | None = None
    department: str | None = None
    raised_at: int | None = None
    closed: bool = False
    on_time: bool = False
    working_days: float | None = None
    ratings: list[str] = field(default_factory=list)
    followed_up: bool = False
    escalated: bool = False
    reopened: bool = False
    stuck: bool = False
    merged_into: str | None = None


def facts_of(issue_id: str, events: Iterable[Event]) -> IssueFacts:
    """Fold an issue's events (any order) into the facts the figures need."""
    facts = IssueFacts(issue_id)
    events = sorted(events, key=lambda e: millis(e.envelope["occurred_at"]))
    refused = {e.causation_id for e in events if e.type == m.REFUSED}
    closed_at = None
    for event in events:
        kind, payload = event.type, event.payload
        if kind in (m.RAISED, m.ACCEPTED):
            facts.channel = facts.channel or payload["channel"]
            facts.category = facts.category or payload["category"]
            if kind == m.RAISED or facts.raised_at is None:
                facts.raised_at = millis(
                    event.envelope["occurred_at"] if kind == m.RAISED else payload["raised_at"]
                )
        elif kind == m.MERGED and payload["duplicate_issue_id"] == issue_id:
            facts.merged_into = payload["surviving_issue_id"]
            facts.channel = facts.channel or payload["channel"]
            facts.category = facts.category or payload["category"]
        elif kind == m.ASSIGNED:
            facts.department = payload["lead_department"]
        elif kind == m.RATED and event.event_id not in refused:
            facts.ratings.append(payload["rating"])
        elif kind == m.CLOSED:
            facts.closed, facts.on_time = True, bool(payload["on_time"])
            facts.working_days = float(payload["working_days"])
            facts.department = payload["lead_department"]
            closed_at = millis(event.envelope["occurred_at"])
        elif kind == m.FOLLOWED_UP and event.event_id not in refused:
            facts.followed_up = True
        elif kind == m.ESCALATED:
            facts.escalated = True
        elif kind == m.REOPENED:
            facts.reopened = True
        elif kind == m.STUCK:
            facts.stuck = True
    if facts.closed and facts.working_days is None and facts.raised_at and closed_at:
        facts.working_days = working_days_between(from_millis(facts.raised_at), from_millis(closed_at))
    return facts


def _rate(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def figures(issues: list[IssueFacts]) -> dict[str, Any]:
    """The published figures over some issues (merged duplicates counted apart)."""
    real = [i for i in issues if i.merged_into is None]
    closed = [i for i in real if i.closed]
    ratings = [r for i in real for r in i.ratings]
    reopened = [i for i in real if i.reopened]
    days = [i.working_days for i in closed if i.working_days is not None]
    return {
        "raised": len(real),
        "merged": len(issues) - len(real),
        "closed": len(closed),
        "open": len(real) - len(closed),
        "escalated": sum(i.escalated for i in real),
        "reopened": len(reopened),
        "stuck": sum(i.stuck for i in real),
        "closure_rate": _rate(len(closed), len(real)),
        "satisfaction_rate": _rate(sum(r in m.SATISFIED for r in ratings), len(ratings)),
        "on_time_rate": _rate(sum(i.on_time for i in closed), len(closed)),
        "follow_up_rate": _rate(sum(i.followed_up for i in closed), len(closed)),
        "average_working_days_to_close": round(sum(days) / len(days), 2) if days else None,
        "bad_rating_fix_rate": _rate(sum(i.closed for i in reopened), len(reopened)),
    }


def _breakdown(issues: list[IssueFacts], dimension: str) -> dict[str, dict[str, Any]]:
    groups: dict[str, list[IssueFacts]] = {}
    for issue in issues:
        if issue.merged_into is None:
            groups.setdefault(getattr(issue, dimension) or "unknown", []).append(issue)
    return {key: figures(group) for key, group in sorted(groups.items())}


def issue_summary(events_by_issue: Mapping[str, Iterable[Event]]) -> dict[str, Any]:
    """Figures over the given issues: totals and rates, plus ``by_department``, ``by_channel`` and
    ``by_category`` with the same figures for each group."""
    issues = [facts_of(issue_id, events) for issue_id, events in events_by_issue.items()]
    return {
        **figures(issues),
        "by_department": _breakdown(issues, "department"),
        "by_channel": _breakdown(issues, "channel"),
        "by_category": _breakdown(issues, "category"),
    }
