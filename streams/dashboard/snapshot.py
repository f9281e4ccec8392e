"""The log as the pages see it: one fold per new version of the log, shared by every request.

The pages fold what the log reader holds: every open case and issue, and the latest closed ones
(``ONETHING_DASHBOARD_CLOSED_CASES``, streams/case_window.py). A case or issue let go is read
back from the log when its page is asked for.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from typing import Any

from streams.bundles import Bundle
from streams.clock import Clock
from streams.dashboard import pages
from streams.dashboard.cases import CaseView, EndedViews, by_case, fold_case, fold_grouped, lifecycle
from streams.eventlog import DeadLetterRecord, EventLog
from streams.events import Event
from streams.flows import Flow, FlowMap

REFOLD_SECONDS = 5.0

# A case's or issue's events, read from the log: for those the reader no longer holds.
History = Callable[[str], list[Event]]


@dataclass
class Snapshot:
    """Everything read up to one moment; page data is computed on first use, then kept."""

    version: tuple[int, int]
    events: list[Event]
    letters: list[DeadLetterRecord]
    flows: Sequence[Flow]
    flow_map: FlowMap
    names: dict[str, str]
    now: datetime
    bundles: Sequence[Bundle] = ()
    coverage: dict[str, Any] | None = None  # 15分钟办事圈, computed once: it does not change with the log
    history: History | None = None
    let_go: int = 0  # closed cases and issues read, then let go to bound memory
    closed_limit: int | None = None
    held: int = 0  # events in memory when the snapshot was taken
    ended_before: EndedViews | None = None  # the last snapshot's ended cases, to reuse
    ended_views: EndedViews | None = None  # this one's, once folded

    @property
    def window(self) -> dict[str, Any]:
        """What the figures cover: open work and at most ``closed_limit`` closed cases."""
        return {"closed_limit": self.closed_limit, "let_go": self.let_go, "held_events": self.held}

    @cached_property
    def grouped(self) -> dict[str, list[Event]]:
        return by_case(self.events)

    @cached_property
    def views(self) -> list[CaseView]:
        views, self.ended_views = fold_grouped(self.grouped, self.flow_map, self.now, self.ended_before)
        return views

    @cached_property
    def overview(self) -> dict[str, Any]:
        data = pages.overview(self.views, self.flows)
        board = self.issues
        data["issues"] = {
            "open": sum(r["open"] for r in board["issues"]),
            "overdue": sum(r["overdue"] for r in board["issues"]),
        }
        data["dead_letters"] = self.version[1]
        data["events"] = self.version[0]
        data["window"] = self.window
        return data

    @cached_property
    def departments(self) -> dict[str, Any]:
        return {**pages.departments(self.views, self.names, self.now), "window": self.window}

    @cached_property
    def flow_maps(self) -> list[dict[str, Any]]:
        return pages.flow_maps(self.views, self.flow_map, self.names)

    @cached_property
    def issues(self) -> dict[str, Any]:
        return {**pages.issue_board(self.grouped, self.now), "window": self.window}

    @cached_property
    def dead_letters(self) -> dict[str, Any]:
        return pages.dead_letters(self.letters, total=self.version[1])

    @cached_property
    def report(self) -> dict[str, Any]:
        return {
            **pages.report(self.events, self.flows, bundles=self.bundles, coverage=self.coverage),
            "window": self.window,
        }

    def _events_of(self, case_id: str) -> tuple[list[Event], bool]:
        """The case's events, and whether they are held (False: read back from the log). Held
        events without the case's opening are a late event of a case let go: read it all back."""
        events = self.grouped.get(case_id) or []
        if self.history is None or not self.let_go:
            return events, True
        opening = lifecycle(self.flow_map).opening
        if any(e.type in opening for e in events):
            return events, True
        return self.history(case_id), False

    def case(self, case_id: str) -> dict[str, Any] | None:
        events, held = self._events_of(case_id)
        if not events:
            return None
        if held:
            view = next((v for v in self.views if v.case_id == case_id), None)
        else:
            view = fold_case(case_id, events, self.flow_map, self.now)
        return pages.case_timeline(case_id, events, view, self.names, self.now)

    def issue(self, issue_id: str) -> dict[str, Any] | None:
        events, _ = self._events_of(issue_id)
        if not events or issue_id not in pages.issue_ids({issue_id: events}):
            return None
        return pages.issue_timeline(issue_id, events, self.names)


class LiveLog:
    """Follows the event log; hands out the latest snapshot, rebuilt only when the log grew."""

    def __init__(
        self,
        log: EventLog,
        flows: Sequence[Flow],
        flow_map: FlowMap,
        names: dict[str, str],
        clock: Clock,
        *,
        bundles: Sequence[Bundle] = (),
        coverage: dict[str, Any] | None = None,
        history: History | None = None,
    ) -> None:
        self.log, self.flows, self.flow_map, self.names, self.clock = log, flows, flow_map, names, clock
        self.bundles, self.coverage, self.history = bundles, coverage, history
        self._lock = threading.Lock()
        self._latest: Snapshot | None = None
        self._folded_at = 0.0

    def version(self) -> tuple[int, int]:
        return self.log.version()

    def snapshot(self) -> Snapshot:
        version = self.log.version()  # first: what is read after it makes the next version
        events, letters = self.log.all_events(), self.log.letters()
        with self._lock:
            latest = self._latest
            # Deadlines pass with time alone: refold every REFOLD_SECONDS even if nothing came.
            stale = latest is None or latest.version != version
            if stale or time.monotonic() - self._folded_at > REFOLD_SECONDS:
                self._folded_at = time.monotonic()
                latest = Snapshot(
                    version,
                    events,
                    letters,
                    self.flows,
                    self.flow_map,
                    self.names,
                    self.clock.now(),
                    bundles=self.bundles,
                    coverage=self.coverage,
                    history=self.history,
                    let_go=self.log.window.let_go,
                    closed_limit=self.log.window.closed_limit,
                    held=self.log.window.held,
                    ended_before=latest.ended_views if latest else None,
                )
                self._latest = latest
            return latest
