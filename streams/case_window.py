"""The events a long-running reader of the log holds, grouped by case: every open case and issue,
and, when a limit is set, only the latest closed ones.

The dashboard follows the log for as long as its worker runs. Holding every event it ever read
grew without bound, and every refold went over all of it. What operators act on is open work,
bounded by the departments' backlog; a closed case beyond the window is read back from the log
(through the case index) when someone asks for it.

Beyond the limit, groups leave memory oldest first (in the order their last event was read):
- a *closed* group: its opening and its closing event read, and no reopening after the close;
- a *fragment*: none of its opening events read (a late event of a case already let go), but only
  once every partition has been read past the time its records were written. Catching up, the
  reader takes topics at different paces: a completion may come long before its application, and
  letting that fragment go would leave the application to look like a case still open.
"""

from __future__ import annotations

import math
from collections import OrderedDict
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass, field

from streams.events import Event
from streams.tracker import millis

# Records of one case are written in causal order, but producers' clocks and batching may put a
# cause's timestamp a little after its effect's: the margin a fragment waits beyond its own time.
WRITE_SKEW_MILLIS = 60_000


@dataclass(frozen=True)
class Lifecycle:
    """Which events start a group (applications, bundle requests, raised issues), which end it,
    and which start it again (a reopened issue)."""

    opening: Collection[str]
    closes: Callable[[Event], bool]
    reopening: Collection[str] = ()


@dataclass(slots=True)
class _Group:
    events: list[Event] = field(default_factory=list)
    opened: bool = False
    closed_at: int | None = None  # the latest closing event's time (ms, platform clock)
    reopened_at: int | None = None
    written: int = 0  # the latest record timestamp (ms, real time)

    @property
    def closed(self) -> bool:
        if not self.opened or self.closed_at is None:
            return False
        return self.reopened_at is None or self.closed_at >= self.reopened_at


class CaseWindow:
    """Events by case id. ``closed_limit`` None keeps everything (tests, the demo, one-off reads);
    a number keeps every open group and about that many closed ones and fragments."""

    def __init__(self, closed_limit: int | None = None, lifecycle: Lifecycle | None = None) -> None:
        if closed_limit is not None and (closed_limit < 1 or lifecycle is None):
            raise ValueError("a closed-case limit needs a positive size and the case lifecycle")
        self.closed_limit = closed_limit
        self._lifecycle = lifecycle
        self._groups: dict[str, _Group] = {}
        self._closed: OrderedDict[str, None] = OrderedDict()
        self._fragments: OrderedDict[str, None] = OrderedDict()
        self.read = 0  # events added, ever
        self.let_go = 0  # groups dropped from memory, ever
        self.held = 0  # events in memory now

    def add(self, event: Event, written: int = 0) -> None:
        """Hold ``event``; ``written`` is its record's timestamp. Call ``trim`` to let go."""
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
        group.written = max(group.written, written)
        if event.type in lifecycle.opening:
            group.opened = True
        at = millis(event.envelope["occurred_at"])
        if lifecycle.closes(event):
            group.closed_at = max(at, group.closed_at or at)
        elif event.type in lifecycle.reopening:
            group.reopened_at = max(at, group.reopened_at or at)
        self._closed.pop(case_id, None)
        self._fragments.pop(case_id, None)
        if not group.opened:
            self._fragments[case_id] = None
        elif group.closed:
            self._closed[case_id] = None

    def trim(self, read_past: float = math.inf) -> None:
        """Let go of what is beyond the limit. ``read_past``: every partition has been read up to
        records written at least then (ms); a fragment written before it has nothing more to come."""
        if self.closed_limit is None:
            return
        while len(self._closed) + len(self._fragments) > self.closed_limit:
            if self._fragments:
                oldest = next(iter(self._fragments))
                if self._groups[oldest].written + WRITE_SKEW_MILLIS <= read_past:
                    self._let_go(self._fragments, oldest)
                    continue
            if not self._closed:
                return  # only fragments still waiting for their applications: held a while longer
            self._let_go(self._closed, next(iter(self._closed)))

    def _let_go(self, order: OrderedDict[str, None], case_id: str) -> None:
        del order[case_id]
        self.held -= len(self._groups.pop(case_id).events)
        self.let_go += 1

    def get(self, case_id: str) -> list[Event]:
        group = self._groups.get(case_id)
        return group.events if group else []

    def __iter__(self) -> Iterator[Event]:
        for group in self._groups.values():
            yield from group.events
