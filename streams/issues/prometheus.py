"""Prometheus metrics of the issue loop. Labels are low-cardinality codes (department, channel,
category, tier, stage, rating): never an issue id or a USCC. Rates are PromQL ratios, e.g.
办结率 ``sum(onething_issues_closed_total) / sum(onething_issues_accepted_total)``."""

from __future__ import annotations

from collections import Counter as Tally
from collections.abc import Iterable

from prometheus_client import Counter, Gauge, Histogram

from streams.events import Event, NewEvent
from streams.issues import model as m
from streams.issues.machine import State, deadline_key
from streams.tracker import millis

ACCEPTED = Counter("onething_issues_accepted", "Issues accepted into the pool", ["channel", "category"])
MERGED = Counter("onething_issues_merged", "Repeated reports merged into an open issue", ["channel"])
ASSIGNED = Counter("onething_issues_assigned", "Assignments, re-routings included", ["department", "mode"])
OBJECTED = Counter("onething_issues_objected", "Assignments a department objected to", ["department"])
CLOSED = Counter(
    "onething_issues_closed",
    "Issues closed (办结), on time or not",
    ["department", "channel", "category", "on_time"],
)
RATED = Counter("onething_issues_rated", "Enterprise ratings", ["department", "rating"])
REOPENED = Counter("onething_issues_reopened", "Issues reopened by a bad rating", ["department"])
OVERDUE = Counter("onething_issues_overdue", "Deadlines passed", ["stage", "tier"])
ESCALATED = Counter("onething_issues_escalated", "Escalations under supervision", ["from_tier", "to_tier"])
STUCK = Counter("onething_issues_stuck", "Alerts: issues past a deadline with nothing moving", ["stage"])
FOLLOWED_UP = Counter("onething_issues_followed_up", "Follow-ups (回访) of closed issues", ["department"])
REFUSED = Counter("onething_issues_refused", "Actions the loop refused", ["action"])
DAYS_TO_CLOSE = Histogram(
    "onething_issue_working_days_to_close",
    "Working days from raised to closed",
    ["category"],
    buckets=(1, 3, 5, 10, 15, 20, 30, 45, 60),
)
OPEN = Gauge("onething_issues_open", "Open issues in this worker's partitions, by state", ["state"])


def observe(event: Event, state: State | None, outputs: Iterable[NewEvent]) -> None:
    """Count what one step of the issue agent did (called only for events not seen before)."""
    outputs = list(outputs)
    department = (state or {}).get("lead") or "none"
    refused = any(new.type == m.REFUSED for new in outputs)
    if event.type == m.ACCEPTED and any(new.type == m.ASSIGNED for new in outputs):
        ACCEPTED.labels(event["channel"], event["category"]).inc()
    elif event.type == m.MERGED and event.case_id == event["duplicate_issue_id"]:
        MERGED.labels(event["channel"]).inc()
    elif event.type == m.OBJECTED and not refused:
        OBJECTED.labels(event["department"]).inc()
    elif event.type == m.RATED and not refused:
        RATED.labels(department, event["rating"]).inc()
    elif event.type == m.OVERDUE and state and _key(event) in state["overdue"]:
        OVERDUE.labels(event["stage"], event["tier"]).inc()
    elif event.type == m.STUCK:
        STUCK.labels(event["stage"]).inc()
    elif event.type == m.FOLLOWED_UP and state and state["status"] == m.S_CLOSED:
        FOLLOWED_UP.labels(department).inc()
    for new in outputs:
        payload = new.payload
        if new.type == m.ASSIGNED:
            ASSIGNED.labels(payload["lead_department"], payload["mode"]).inc()
        elif new.type == m.CLOSED:
            CLOSED.labels(department, payload["channel"], payload["category"], str(payload["on_time"])).inc()
            DAYS_TO_CLOSE.labels(payload["category"]).observe(payload["working_days"])
        elif new.type == m.REOPENED:
            REOPENED.labels(department).inc()
        elif new.type == m.ESCALATED:
            ESCALATED.labels(payload["from_tier"], payload["to_tier"]).inc()
        elif new.type == m.REFUSED:
            REFUSED.labels(payload["action"]).inc()


def _key(event: Event) -> str:
    return deadline_key(event["stage"], millis(event["deadline"]))


def set_open(states: Iterable[State]) -> None:
    """Open issues by state, as the watchdog found them in this worker's table partitions."""
    tally = Tally(s["status"] for s in states if s["status"] not in m.FINAL_STATUSES)
    for status in m.STATUS_NAMES:
        if status not in m.FINAL_STATUSES:
            OPEN.labels(status).set(tally.get(status, 0))
