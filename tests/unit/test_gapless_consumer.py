"""The worker's consumer commits only past records an agent finished, in order from the commit."""

from __future__ import annotations

import asyncio
from collections import defaultdict
from types import SimpleNamespace
from weakref import WeakKeyDictionary

import pytest
from faust.types import TP
from faust.types.tuples import ConsumerMessage

from streams.gapless_consumer import GaplessConsumer

PARTITION = TP("gov.market_regulation.business_license_issued.v1", 0)


def consumer(committed: int | None, acked: list[int]) -> SimpleNamespace:
    """Just the bookkeeping the commit reads, as faust keeps it."""
    state = SimpleNamespace(
        _acked=defaultdict(list, {PARTITION: list(acked)}),
        _acked_index=defaultdict(set, {PARTITION: set(acked)}),
        _committed_offset=defaultdict(lambda: None, {PARTITION: committed}),
        _gap=defaultdict(list),
    )
    state._take_first_run = lambda tp, offsets: GaplessConsumer._take_first_run(state, tp, offsets)
    return state


def new_offset(state: SimpleNamespace) -> int | None:
    return GaplessConsumer._new_offset(state, PARTITION)


def test_the_record_at_the_committed_offset_unfinished_holds_the_commit() -> None:
    # faust committed 43 here: record 40 was lost.
    assert new_offset(consumer(40, [41, 42])) is None


def test_the_commit_moves_over_the_run_that_starts_at_the_committed_offset() -> None:
    state = consumer(40, [43, 40, 41])
    assert new_offset(state) == 42
    assert state._acked[PARTITION] == [43]
    assert state._acked_index[PARTITION] == {43}


def test_a_partition_never_committed_commits_its_first_run() -> None:
    assert new_offset(consumer(None, [0, 1, 2])) == 3


async def test_a_jump_in_the_offsets_read_is_not_taken_for_processed_records() -> None:
    state = consumer(40, [])
    await GaplessConsumer._add_gap(state, PARTITION, 41, 61)
    assert state._gap == {}
    state._acked[PARTITION].extend([62, 63])
    assert new_offset(state) is None


class ConsumerThread:
    """faust's consumer thread, which reads the partitions it is given only when it gets to it."""

    def __init__(self) -> None:
        self.asked: list[set[TP]] = []

    async def getmany(self, partitions: set[TP], timeout: float) -> dict:
        await asyncio.sleep(0)  # the other thread's turn comes later
        self.asked.append(set(partitions))
        return {}


async def test_records_are_fetched_for_the_partitions_active_when_asked_not_when_fetched() -> None:
    fetching = object.__new__(GaplessConsumer)
    fetching._thread = thread = ConsumerThread()
    active = {PARTITION}  # faust's live set: the changelogs a recovery reads
    fetch = asyncio.create_task(fetching._getmany(active, 1.0))
    await asyncio.sleep(0)
    active.clear()  # the recovery is done and pauses them, while the thread has not read the set
    await fetch
    # aiokafka takes an empty set for every partition, those faust dropped included
    assert thread.asked == [{PARTITION}]


def taking(committed: int, readers: int = 1) -> GaplessConsumer:
    """A consumer with the state faust's acknowledgement writes, ``readers`` agents on PARTITION."""
    taken = object.__new__(GaplessConsumer)
    state = consumer(committed, [])
    taken.__dict__.update(vars(state))
    taken._unacked_messages = set()
    taken._n_acked = 0
    taken._waiting_for_ack = None
    taken._finishes = WeakKeyDictionary()
    channels = {PARTITION: {f"agent-{n}" for n in range(readers)}}
    taken.app = SimpleNamespace(
        topics=SimpleNamespace(acks_enabled_for=lambda topic: True, _tp_index=channels)
    )
    return taken


def record(offset: int, readers: int = 1) -> ConsumerMessage:
    """A record as faust hands it to ``readers`` agents (one reference each)."""
    message = ConsumerMessage(PARTITION.topic, PARTITION.partition, offset, 0.0, 0, None, b"k", b"v", None)
    message.incref(readers)
    return message


def test_a_record_its_only_agent_skipped_is_not_committed() -> None:
    # faust acknowledges a record its stream skipped (flow control suspended for a rebalance or a
    # stop), and, acknowledging automatically, one whose agent raised.
    taken = taking(40)
    record(40).ack(taken)
    assert GaplessConsumer._new_offset(taken, PARTITION) is None


@pytest.mark.parametrize("finished_first", [True, False])
def test_a_record_one_of_its_agents_did_not_finish_is_not_committed(finished_first: bool) -> None:
    taken = taking(40, readers=2)
    message = record(40, readers=2)
    for finishing in (finished_first, not finished_first):
        if finishing:
            taken.finished(message)
        message.ack(taken)  # faust's acknowledgement by each agent's stream
    assert GaplessConsumer._new_offset(taken, PARTITION) is None


def test_a_record_every_agent_finished_is_committed() -> None:
    taken = taking(40, readers=2)
    for offset in (40, 41):
        message = record(offset, readers=2)
        for _ in range(2):
            taken.finished(message)
            message.ack(taken)
    assert GaplessConsumer._new_offset(taken, PARTITION) == 42
