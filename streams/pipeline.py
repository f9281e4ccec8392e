"""One agent's records in flight together: in order per key, acknowledged in order per partition.

Handling a record is mostly waiting for the broker to acknowledge its outputs; one record at a time,
that wait capped a department at a few hundred events/s. Records of different keys (cases) are
independent, so their handling overlaps, up to ``depth`` at once. Records of one key run in the
order read, each after the one before has finished, so a case's state is never read before its last
write. Acknowledgements go in read order per partition (a lane): a record finished early waits for
those before it, because faust commits past an acknowledged offset whatever came before it. A
record whose work failed is never acknowledged, so nothing behind it on its partition is committed
and a restart reads it again.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import Awaitable, Callable, Hashable
from dataclasses import dataclass

log = logging.getLogger(__name__)

# Records of one agent in flight at once: enough to keep the broker's round trips overlapping.
DEFAULT_DEPTH = 64


@dataclass
class _Entry:
    acknowledge: Callable[[], Awaitable[object]]
    done: bool = False


class KeyedPipeline:
    def __init__(self, depth: int = DEFAULT_DEPTH) -> None:
        self._slots = asyncio.Semaphore(depth)
        self._last_of_key: dict[Hashable, asyncio.Task[None]] = {}
        self._lanes: dict[Hashable, deque[_Entry]] = {}
        self._running: set[asyncio.Task[None]] = set()

    async def submit(
        self,
        key: Hashable,
        lane: Hashable,
        work: Callable[[], Awaitable[None]],
        acknowledge: Callable[[], Awaitable[object]],
    ) -> None:
        """Start ``work`` once a slot is free and the key's previous record is done; once it and
        every earlier record of ``lane`` succeeded, ``acknowledge`` it."""
        await self._slots.acquire()
        entry = _Entry(acknowledge)
        self._lanes.setdefault(lane, deque()).append(entry)
        task = asyncio.create_task(self._run(self._last_of_key.get(key), work, lane, entry))
        self._last_of_key[key] = task
        self._running.add(task)
        task.add_done_callback(lambda done: self._forget(key, done))

    async def _run(
        self,
        before: asyncio.Task[None] | None,
        work: Callable[[], Awaitable[None]],
        lane: Hashable,
        entry: _Entry,
    ) -> None:
        try:
            if before is not None:
                await asyncio.wait([before])  # whatever became of it: its outcome is its own
            await work()
            entry.done = True
            await self._acknowledge_ready(lane)
        finally:
            self._slots.release()

    async def _acknowledge_ready(self, lane: Hashable) -> None:
        waiting = self._lanes[lane]
        while waiting and waiting[0].done:
            await waiting.popleft().acknowledge()
        if not waiting:
            del self._lanes[lane]

    def _forget(self, key: Hashable, task: asyncio.Task[None]) -> None:
        self._running.discard(task)
        if self._last_of_key.get(key) is task:
            del self._last_of_key[key]
        if not task.cancelled() and (exc := task.exception()) is not None:
            log.error("a record was left unfinished; its partition is read again from it", exc_info=exc)

    @property
    def in_flight(self) -> int:
        return len(self._running)

    async def drain(self) -> None:
        """Wait for every record in flight."""
        while self._running:
            await asyncio.wait(list(self._running))
