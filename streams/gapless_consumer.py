"""faust's Kafka consumer, committing only offsets every record before which an agent finished.

Two rules of faust's commit lost records after a rebalance, when faust went on iterating over a
batch fetched before it while the records a rebalance took out of the agents' buffers were read
again (5 to 80 records of 500 cases after a kill -9; single records when a second worker left):

- a jump in the offsets read is filled as if the missing records were processed (meant for
  compaction and transaction markers, which the platform's input topics do not have);
- a run of acknowledged offsets starting one past the committed offset is committed, skipping the
  record at the committed offset itself.

Here the commit moves only over a run of acknowledged offsets that starts exactly at the committed
one. If a record never comes back, the commit waits, and the stall watch restarts the worker, which
reads again from the commit.

And records are fetched only for the partitions faust takes records from at that moment: faust
handed its live set of them to the consumer thread, and when the worker's recovery emptied it in
between (pausing the changelogs it had read), aiokafka took the empty set for "every partition" and
returned records of partitions still paused, which faust dropped after they counted as read. A
partition never committed is not sought back after recovery, so a worker restarted after a kill -9
skipped such records until the stall watch restarted it again.

And an offset counts as finished only when every agent reading its topic said so (``finished``),
not when faust's acknowledgements of it ran out: faust also acknowledges records its streams skip
(taken while flow control is suspended, for a rebalance or a stop, or fetched under an earlier
generation) and, with its automatic acknowledgement, a record whose agent raised. Counted, those let
the commit pass records some agent never finished.
"""

from __future__ import annotations

import logging
from typing import Any
from weakref import WeakKeyDictionary

from faust.transport.consumer import RecordMap
from faust.transport.drivers.aiokafka import Consumer
from faust.types import TP, Message

log = logging.getLogger(__name__)


class GaplessConsumer(Consumer):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # How many agents finished each record in hand.
        self._finishes: WeakKeyDictionary[Message, int] = WeakKeyDictionary()

    def finished(self, message: Message) -> None:
        """An agent finished ``message``; call before acknowledging it to faust."""
        self._finishes[message] = self._finishes.get(message, 0) + 1

    def ack(self, message: Message) -> bool:
        """faust's last acknowledgement of ``message``: its offset is committed (once every one
        before it is) only if each agent reading the topic finished it; a record some agent skipped
        or failed is read again after the rebalance or restart instead."""
        # The agents reading the partition now (none: it left this worker, whose new owner reads it).
        readers = len(self.app.topics._tp_index.get(message.tp, ()))
        if readers == 0 or self._finishes.pop(message, 0) < readers:
            return False
        return super().ack(message)

    async def _getmany(self, active_partitions: set[TP] | None, timeout: float) -> RecordMap:
        # A copy, taken before anything else runs: the set faust checked is not empty. (None, for
        # a client-only app, means every partition.)
        partitions = None if active_partitions is None else set(active_partitions)
        return await super()._getmany(partitions, timeout)

    async def _add_gap(self, tp: TP, offset_from: int, offset_to: int) -> None:
        log.warning(
            "%s[%d]: offsets %d..%d were not read in order; not committing past them",
            tp.topic,
            tp.partition,
            offset_from,
            offset_to,
        )

    def _new_offset(self, tp: TP) -> int | None:
        acked = self._acked[tp]
        if not acked:
            return None
        acked.sort()
        committed = self._committed_offset[tp]  # the next offset to read; None before any commit
        if committed is not None and acked[0] != committed:
            return None  # the record at the committed offset is not finished
        return self._take_first_run(tp, acked)

    def _take_first_run(self, tp: TP, acked: list[int]) -> int:
        """Remove the leading run of consecutive offsets from ``acked``; one past its end."""
        end = 1
        while end < len(acked) and acked[end] == acked[end - 1] + 1:
            end += 1
        run = acked[:end]
        del acked[:end]
        self._acked_index[tp].difference_update(run)
        return run[-1] + 1
