"""Open cases in deadline order, so the deadline watch visits only those that ran late.

Scanning every case each tick grew with history (closed cases included). The index is rebuilt
from the table after each rebalance (this worker's cases change then) and kept current by the
tracker on every write; entries are dropped lazily when a case's next deadline moved.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterable, Iterator, MutableMapping
from typing import Any


class DeadlineIndex:
    def __init__(self, next_deadline: Callable[[dict[str, Any]], int | None]) -> None:
        self.next_deadline = next_deadline
        self._heap: list[tuple[int, str]] = []
        self._due: dict[str, int] = {}
        self.stale = True  # nothing known until built from the table

    def rebuild(self, cases: Iterable[tuple[str, dict[str, Any]]]) -> None:
        self._heap, self._due = [], {}
        for case_id, state in cases:
            self.update(case_id, state)
        self.stale = False

    def update(self, case_id: str, state: dict[str, Any] | None) -> None:
        due = self.next_deadline(state) if state else None
        if due is None:
            self._due.pop(case_id, None)
            return
        if self._due.get(case_id) != due:
            self._due[case_id] = due
            heapq.heappush(self._heap, (due, case_id))

    def late(self, now_ms: int) -> list[str]:
        """Cases whose next deadline passed; each leaves the index until its state is written again."""
        found = []
        while self._heap and self._heap[0][0] < now_ms:
            due, case_id = heapq.heappop(self._heap)
            if self._due.get(case_id) == due:  # else superseded by a later write
                del self._due[case_id]
                found.append(case_id)
        return found

    def __len__(self) -> int:
        return len(self._due)


class IndexedCases(MutableMapping[str, Any]):
    """A table keeping its deadline index current on every write: the tracker's cases, or a
    department's held outputs (keyed by hold)."""

    def __init__(
        self,
        table: MutableMapping[str, Any],
        index: DeadlineIndex,
        on_change: Callable[[Any, Any], None] | None = None,
    ) -> None:
        # on_change(old, new) hears of every write (new is None for a delete): the case gauges.
        self.table, self.index, self.on_change = table, index, on_change

    def __getitem__(self, case_id: str) -> Any:
        return self.table[case_id]

    def __setitem__(self, case_id: str, state: Any) -> None:
        if self.on_change is not None:
            self.on_change(self.table.get(case_id), state)
        self.table[case_id] = state
        self.index.update(case_id, state)

    def __delitem__(self, case_id: str) -> None:
        if self.on_change is not None:
            self.on_change(self.table.get(case_id), None)
        del self.table[case_id]
        self.index.update(case_id, None)

    def __iter__(self) -> Iterator[str]:
        return iter(self.table)

    def __len__(self) -> int:
        return len(self.table)
