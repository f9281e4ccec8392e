"""faust's producer, whose flush waits until the broker acknowledged every table write made so far.

faust commits offsets after flushing its producer, so that no offset is committed ahead of the
state written while processing it. But faust's flush of its buffer of changelog writes returns once
the buffer is empty or 0.1 s passed without a send: under load it ran for as long as writes kept
coming (commits 5 to 22 s apart under a restaurant backlog), and while a send is held up (a broker
restarting) it returns with writes still unsent, so the commit can go ahead of them. Here the flush
waits for exactly the changelog writes made before it was called, each until the broker has it.
A changelog write that failed holds every later commit: the worker is restarted (faust stopping on
the error, or the stall watch) and reads again from the last commit.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable

from faust.transport.drivers.aiokafka import Producer

from streams.packed_store import PlacedTable


class ChangelogWriteFailed(RuntimeError):
    """A table's changelog write was refused; committing past it would lose the state."""


class AcknowledgedProducer(Producer):
    async def flush(self) -> None:
        await changelogs_acknowledged(self.app.tables.values())
        if self._producer is not None:
            await self._producer.flush()  # every record sent so far, table writes or not


async def changelogs_acknowledged(tables: Iterable[PlacedTable]) -> None:
    """Wait until the broker acknowledged every changelog write ``tables`` made so far."""
    tables = list(tables)
    if pending := [sent for table in tables for sent in table.unacknowledged]:
        await asyncio.wait(pending)
    for table in tables:
        if table.write_failed is not None:
            raise ChangelogWriteFailed(f"{table.name}: a changelog write failed: {table.write_failed}")
