"""The worker's consumer commits only past records an agent finished, in order from the commit."""

from __future__ import annotations

from collections import defaultdict
from types import SimpleNamespace

from faust.types import TP

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
