"""Bounded state: what an agent keeps only for a while.

Processed event ids exist to drop redeliveries and replays; after a retention (7 days by default,
`ONETHING_RETENTION_HOURS`) nothing redelivers them any more, so they go. A closed case keeps only
a small marker (so late events for it are ignored), which goes after the same retention.

Entries carry the real time they were written and the partition they belong to: a timer (which
has no event in hand) writes their tombstones to the right changelog partition itself. Retention
runs on real time, not the platform clock: a demo's accelerated days must not expire a dedupe id
a crash is about to need.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable, Iterator
from typing import Any, Protocol, runtime_checkable

from streams.envelope import now_millis  # real time, not the platform clock
from streams.frozen_ids import FrozenIds, id_text

log = logging.getLogger(__name__)

STAMP, PARTITION = "at", "p"
# Real seconds between the starts of two sweeps over a table.
PURGE_SECONDS = float(os.environ.get("ONETHING_PURGE_SECONDS", "60"))
# A sweep goes in steps, one per PURGE_STEP_SECONDS, of at most PURGE_STEP_ENTRIES entries (about
# 10 ms): a week of processed ids is millions, and unpacking all of them at once held the worker's
# event loop for seconds, every record in flight waiting behind it.
PURGE_STEP_SECONDS = 1.0
PURGE_STEP_ENTRIES = 5_000


def stamped(value: dict[str, Any], partition: int, at: int | None = None) -> dict[str, Any]:
    """``value`` marked with when and for which partition it was written."""
    return {**value, STAMP: now_millis() if at is None else at, PARTITION: partition}


def expired(
    items: Iterable[tuple[str, Any]], cutoff: int, partitions: set[int] | None = None
) -> Iterator[tuple[str, int]]:
    """(key, partition) of stamped entries written before ``cutoff``, in ``partitions`` if given.
    Unstamped values (open cases, entries from before stamping) stay."""
    for key, value in items:
        if not isinstance(value, dict) or STAMP not in value or PARTITION not in value:
            continue
        if value[STAMP] < cutoff and (partitions is None or value[PARTITION] in partitions):
            yield key, value[PARTITION]


@runtime_checkable
class HoldsFrozenIds(Protocol):
    """A store holding part of its entries as frozen ids (streams/id_store.py)."""

    @property
    def frozen_ids(self) -> FrozenIds: ...

    def recent_keys(self) -> list[Any]: ...


class Purger:
    """Deletes expired entries of one faust table, tombstones included, outside any agent.

    Each ``step`` reads at most ``step_entries`` entries; a sweep over the table starts at most
    every ``period_millis`` and takes as many steps as the table needs.
    """

    def __init__(
        self,
        table: Any,
        retention_millis: int,
        *,
        period_millis: int | None = None,
        step_entries: int = PURGE_STEP_ENTRIES,
    ) -> None:
        self.table = table
        self.retention_millis = retention_millis
        self.period_millis = int(PURGE_SECONDS * 1000) if period_millis is None else period_millis
        self.step_entries = step_entries
        self._sweep: list[Any] = []  # keys of the sweep in progress
        self._next = 0  # where in them the next step begins
        self._frozen_next = self._frozen_end = 0  # the same over frozen ids, by index
        self._swept_at: int | None = None  # when the last sweep started

    def _sweeping(self) -> bool:
        return self._next < len(self._sweep) or self._frozen_next < self._frozen_end

    def due(self) -> bool:
        """Whether a step has anything to do: a sweep goes on, or the next one is due."""
        if self._sweeping() or self._swept_at is None:
            return True
        return now_millis() - self._swept_at >= self.period_millis

    def step(self, partitions: set[int] | None) -> int:
        """Go on with the sweep (or start one, when due); the number of entries removed."""
        if not self.due():
            return 0
        now = now_millis()
        data = self.table.data
        frozen = data.frozen_ids if isinstance(data, HoldsFrozenIds) else None
        if not self._sweeping():
            self._swept_at = now
            self._sweep, self._next = (list(data.keys()) if frozen is None else data.recent_keys()), 0
            self._frozen_next, self._frozen_end = 0, (0 if frozen is None else frozen.span)
        batch = self._sweep[self._next : self._next + self.step_entries]
        self._next += len(batch)
        if self._next >= len(self._sweep):
            self._sweep, self._next = [], 0  # done: let the keys go
        cutoff = now - self.retention_millis
        present = ((key, value) for key in batch if (value := data.get(key)) is not None)
        gone = list(expired(present, cutoff, partitions))
        for key, _ in gone:
            data.pop(key, None)
        if frozen is not None and (budget := self.step_entries - len(batch)) > 0:
            gone += self._expire_frozen(frozen, cutoff, partitions, budget)
        for key, partition in gone:
            # The tombstone lets compaction drop the key, so a recovering worker never reads it.
            self.table.send_changelog(partition, key, None, value_serializer="raw")
        if gone:
            log.info("%s: %d entries past their retention removed", self.table.name, len(gone))
        return len(gone)

    def _expire_frozen(
        self, frozen: FrozenIds, cutoff: int, partitions: set[int] | None, budget: int
    ) -> list[tuple[str, int]]:
        stop = min(self._frozen_next + budget, self._frozen_end)
        gone = []
        for index, raw, at, partition in frozen.entries(self._frozen_next, stop):  # removing is a mark
            if at < cutoff and (partitions is None or partition in partitions):
                frozen.remove(index)
                gone.append((id_text(raw), partition))
        self._frozen_next = stop
        return gone

    def purge(self, partitions: set[int] | None) -> int:
        """A whole sweep at once; the number of entries removed."""
        self._sweep, self._next, self._swept_at = [], 0, None
        self._frozen_next = self._frozen_end = 0
        removed = self.step(partitions)
        while self._sweeping():
            removed += self.step(partitions)
        return removed
