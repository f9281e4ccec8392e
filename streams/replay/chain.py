"""A case's records as a causal chain: each event once, causes before effects, who held it how long.

Pure: no Kafka. The producer's clock orders nothing here (clocks of different hosts disagree); an
event comes after the event that caused it, and among events whose causes are all placed, the
earlier one (by its time, then its place in the log) comes first.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from streams.replay.reader import Located
from streams.tracker import CASE_OUTCOMES, millis

# Events that say a deadline passed, and the field naming who held the case then.
DEADLINE_EVENTS = {"DeadlineMissed", "IssueOverdue"}
ESCALATIONS = {"CaseEscalated", "IssueEscalated"}
# Closing events that say whether the whole case or issue was on time.
OUTCOMES = {*CASE_OUTCOMES, "IssueClosed"}
ROOTS = {"IssueRaised"}


@dataclass(frozen=True, slots=True)
class Link:
    """One event in the chain: where it lies, what caused it, and how long its department held it."""

    located: Located
    cause: Located | None
    held_ms: int | None  # from the cause's time to this event's, where the cause is in the chain

    @property
    def event(self):
        return self.located.event


@dataclass(frozen=True, slots=True)
class DeadlineLoss:
    """Where a deadline was lost: the event saying so and what it names."""

    event_id: str
    event_type: str
    at: int
    scope: str  # the matter or stage whose deadline passed, or "case"
    holder: str | None  # the department that held it
    due_at: int | None


@dataclass
class Chain:
    case_id: str
    links: list[Link]
    duplicates: int = 0  # records dropped because their event id was already in the chain
    dangling: list[str] = field(default_factory=list)  # event ids whose cause is not in the chain

    @property
    def events(self):
        return [link.event for link in self.links]

    @property
    def root(self) -> Link | None:
        return self.links[0] if self.links else None

    @property
    def consistent(self) -> bool:
        """Every causation id points at an event of the chain, and the one root starts it."""
        roots = [link for link in self.links if link.event.causation_id is None]
        return bool(self.links) and not self.dangling and len(roots) == 1 and roots[0] is self.links[0]

    def holdings(self) -> dict[str, int]:
        """Per department: how long (ms) it held the case, from each cause to its answer."""
        longest: dict[tuple[str, str], int] = {}
        for link in self.links:
            if link.held_ms is None or link.cause is None:
                continue
            key = (link.event.producer, link.cause.event.event_id)
            longest[key] = max(longest.get(key, 0), link.held_ms)
        totals: dict[str, int] = {}
        for (department, _), held in longest.items():
            totals[department] = totals.get(department, 0) + held
        return dict(sorted(totals.items(), key=lambda item: -item[1]))

    def deadline_losses(self) -> list[DeadlineLoss]:
        losses = []
        for link in self.links:
            event = link.event
            payload: dict[str, Any] = event.payload
            if event.type in DEADLINE_EVENTS:
                scope = payload.get("matter") or payload.get("stage") or "case"
                holder = payload.get("department") or payload.get("lead_department")
                due = payload.get("due_at") or payload.get("deadline")
                losses.append(
                    DeadlineLoss(
                        event.event_id,
                        event.type,
                        at_millis(event),
                        str(scope),
                        holder,
                        None if due is None else millis(due),
                    )
                )
            elif event.type in OUTCOMES and payload.get("on_time") is False:
                losses.append(DeadlineLoss(event.event_id, event.type, at_millis(event), "case", None, None))
        return losses

    @property
    def outcome(self) -> str | None:
        closing = [link.event.type for link in self.links if link.event.type in OUTCOMES]
        return closing[-1] if closing else None


def at_millis(event) -> int:
    return millis(event.envelope["occurred_at"])


def _sort_key(located: Located) -> tuple:
    return (at_millis(located.event), located.timestamp, located.topic, located.partition, located.offset)


def build_chain(case_id: str, records: Iterable[Located]) -> Chain:
    """Deduplicate by event id (the first copy in the log wins) and order causes before effects."""
    unique: dict[str, Located] = {}
    duplicates = 0
    for located in sorted(records, key=lambda r: (r.timestamp, r.topic, r.partition, r.offset)):
        if located.event.event_id in unique:
            duplicates += 1
        else:
            unique[located.event.event_id] = located
    children: dict[str, list[Located]] = {}
    ready: list[tuple[tuple, Located]] = []
    dangling = []
    for located in unique.values():
        cause_id = located.event.causation_id
        if cause_id and cause_id in unique:
            children.setdefault(cause_id, []).append(located)
        else:
            if cause_id:
                dangling.append(located.event.event_id)
            heapq.heappush(ready, (_sort_key(located), located))
    links: list[Link] = []
    while ready:
        _, located = heapq.heappop(ready)
        cause = unique.get(located.event.causation_id or "")
        held = None if cause is None else at_millis(located.event) - at_millis(cause.event)
        links.append(Link(located, cause, held))
        for child in children.get(located.event.event_id, ()):
            heapq.heappush(ready, (_sort_key(child), child))
    placed = {link.event.event_id for link in links}
    for located in sorted((r for r in unique.values() if r.event.event_id not in placed), key=_sort_key):
        dangling.append(located.event.event_id)  # in a loop of causes: no order is right
        links.append(Link(located, None, None))
    return Chain(case_id, links, duplicates, dangling)
