"""An agent's records in batches: gathered while the last batch was processed, and split so that
records of one key are handled in the order read.

A department, the tracker or the case index reads and writes state under the record's key (its
case) alone, and writes it only once the record's outputs are acknowledged. So the records of one
batch with different keys are handled together, their outputs sent together and acknowledged
together; a second record of a key waits for the next round, when the first one's state is written.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Hashable, Sequence
from typing import Generic, TypeVar

Record = TypeVar("Record")
Item = TypeVar("Item")


def rounds(records: Sequence[Record], key: Callable[[Record], Hashable]) -> list[list[Record]]:
    """The n-th record of each key goes into round n; each round keeps the order read."""
    split: list[list[Record]] = []
    seen: dict[Hashable, int] = {}
    for record in records:
        k = key(record)
        n = seen.get(k, 0)
        seen[k] = n + 1
        if n == len(split):
            split.append([])
        split[n].append(record)
    return split


class Gathered(Generic[Item]):
    """Items gathered from a source while the previous batch was being processed.

    No timer: ``take`` returns as soon as one item is in, with everything that came meanwhile (up
    to ``limit``, past which the source waits). So an idle agent adds no wait to a record, and a
    busy one takes larger batches. (faust's ``take_events`` waits on a timer instead, and starting
    that wait again each time it ran out took a sixth of a busy worker's CPU.)
    """

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._items: list[Item] = []
        self._arrived = asyncio.Event()
        self._room = asyncio.Event()
        self._room.set()
        self._ended = False

    async def fill(self, source: AsyncIterator[Item]) -> None:
        try:
            async for item in source:
                self._items.append(item)
                self._arrived.set()
                if len(self._items) >= self.limit:
                    self._room.clear()
                    await self._room.wait()
        finally:
            self._ended = True
            self._arrived.set()

    async def take(self) -> list[Item]:
        """What came since the last take, at least one item; none only once the source ended."""
        while not self._items and not self._ended:
            self._arrived.clear()
            await self._arrived.wait()
        items, self._items = self._items, []
        self._room.set()
        return items
