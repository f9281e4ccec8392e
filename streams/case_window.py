"""The events a long-running reader of the log holds, grouped by case: every open case and issue,
and, when a limit is set, only the latest closed ones.

The dashboard follows the log for as long as its worker runs. Holding every event it ever read
grew without bound, and every refold went over all of it. What operators act on is open work,
bounded by the departments' backlog; a closed case beyond the window is read back from the log
(through the case index) when someone asks for it.

A group may leave memory once it is *settled*: closed (its closing event read, and no reopening
after it), or a fragment (none of its opening events read: a late event of a case already let
go, or a case whose application the reader has not reached yet). Settled groups leave oldest
first, in the order their last event was read.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass, field

from streams.events import Event
from streams.tracker import millis


@dataclass(slots=True)
class _Group:
    events: list[Event] = field(default_factory=list)
    opened: bool = False
    closed_at: int | None = None  # the latest closing event's time (ms)
    reopened_at: int | None = None

    @property
    def settled(self) -> bool:
        if not self.opened:
            return True
        return self.closed_at is not None and (self.reopened_at is None or self.closed_at >= self.reopened_at)


@dataclass(frozen=True)
class Lifecycle:
    """Which events start a group (applications, bundle requests, raised issues), which end it,
    and which start it again (a reopened issue)."""

    opening: Collection[str]
    closes: Callable[[Event], bool]
    reopening: Collection[str] = ()


class CaseWindow:
    """Events by case id. ``closed_limit`` None keeps everything (tests, the demo, one-off reads);
    a number keeps open groups and at most that many settled ones."""

    def __init__(self, closed_limit: int | None = None, lifecycle: Lifecycle | None = None) -> None:
        if closed_limit is not None and (closed_limit < 1 or lifecycle is None):
            raise ValueError("a closed-case limit needs a positive size and the case lifecycle")
        self.closed_limit = closed_limit
        self._lifecycle = lifecycle
        self._groups: dict[str, _Group] = {}
        self._settled: OrderedDict[str, None] = OrderedDict()
        self.read = 0  # events added, ever
        self.let_go = 0  # settled groups dropped from memory, ever
        self.held = 0  # events in memory now

    def add(self, event: Event) -> None:
        case_id = event.case_id
        group = self._groups.get(case_id)
        if group is None:
            group = self._groups[case_id] = _Group()
        group.events.append(event)
        self.read += 1
        self.held += 1
        if self.closed_limit is None or self._lifecycle is None:
            return
        lifecycle = self._lifecycle
        if event.type in lifecycle.opening:
            group.opened = True
        at = millis(event.envelope["occurred_at"])
        if lifecycle.closes(event):
            group.closed_at = max(at, group.closed_at or at)
        elif event.type in lifecycle.reopening:
            group.reopened_at = max(at, group.reopened_at or at)
        if group.settled:
            self._settled[case_id] = None
            self._settled.move_to_end(case_id)
        else:
            self._settled.pop(case_id, None)
        while len(self._settled) > self.closed_limit:
            gone, _ = self._settled.popitem(last=False)
            self.held -= len(self._groups.pop(gone).events)
            self.let_go += 1

    def get(self, case_id: str) -> list[Event]:
        group = self._groups.get(case_id)
        return group.events if group else []

    def __iter__(self) -> Iterator[Event]:
        for group in self._groups.values():
            yield from group.events

    @property
    def settled(self) -> int:
        """Closed groups and fragments in memory now."""
        return len(self._settled)
