"""The worker's consumer commits only past records an agent finished, in order from the commit."""

from __future__ import annotations

import asyncio
from collections import defaultdict
from types import SimpleNamespace

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


def taking(committed: int) -> GaplessConsumer:
    """A consumer with the state faust's acknowledgement writes, for PARTITION."""
    taken = object.__new__(GaplessConsumer)
    state = consumer(committed, [])
    taken.__dict__.update(vars(state))
    taken._unacked_messages = set()
    taken._n_acked = 0
    taken._waiting_for_ack = None
    taken.app = SimpleNamespace(topics=SimpleNamespace(acks_enabled_for=lambda topic: True))
    return taken


def record(offset: int) -> ConsumerMessage:
    return ConsumerMessage(PARTITION.topic, PARTITION.partition, offset, 0.0, 0, None, b"k", b"v", None)


def test_faust_acknowledging_a_record_does_not_let_the_commit_pass_it() -> None:
    # faust acknowledges a record its stream skipped (flow control suspended for a rebalance or a
    # stop): at a stop with records buffered, they were committed though no agent had seen them.
    taken = taking(40)
    skipped = record(40)
    skipped.incref()  # taken by one stream
    skipped.ack(taken)  # what faust's stream does for a skipped record, and after each one
    assert GaplessConsumer._new_offset(taken, PARTITION) is None


def test_a_record_an_agent_finished_is_committed() -> None:
    taken = taking(40)
    for offset in (40, 41):
        message = record(offset)
        message.incref()
        taken.finished(message)
        message.ack(taken)  # faust's own acknowledgement after it: nothing more
    assert GaplessConsumer._new_offset(taken, PARTITION) == 42
