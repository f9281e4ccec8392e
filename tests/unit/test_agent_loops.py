"""An agent tells the consumer a record is finished only once it processed it."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from streams.runtime import pipelined_records, records_in_order


class Consumer:
    def __init__(self) -> None:
        self.finished_offsets: list[tuple[int, int]] = []

    def finished(self, message: SimpleNamespace) -> bool:
        self.finished_offsets.append((message.partition, message.offset))
        return True


class Stream:
    """faust's stream as the loops use it: events in read order, acknowledgements off."""

    def __init__(self, *records: tuple[bytes, int, int]) -> None:
        self.app = SimpleNamespace(consumer=Consumer())
        self._events = [
            SimpleNamespace(message=SimpleNamespace(key=key, partition=p, offset=o, tp=p))
            for key, p, o in records
        ]

    def noack(self) -> Stream:
        return self

    async def events(self):
        for event in self._events:
            yield event

    async def ack(self, event: SimpleNamespace) -> None:
        pass


def failing_at(offset: int):
    async def process(message: SimpleNamespace) -> None:
        if message.offset == offset:
            raise RuntimeError("the dead-letter topic refused the record")

    return process


async def test_a_record_whose_processing_raised_is_not_finished_in_order() -> None:
    stream = Stream((b"C-1", 0, 10), (b"C-2", 0, 11), (b"C-3", 0, 12))
    with pytest.raises(RuntimeError):
        await records_in_order(stream, failing_at(11))
    # faust acknowledged such a record as its agent crashed, and the commit passed it
    assert stream.app.consumer.finished_offsets == [(0, 10)]


async def test_a_record_whose_processing_raised_holds_its_partition_pipelined() -> None:
    stream = Stream((b"C-1", 0, 10), (b"C-2", 0, 11), (b"C-3", 0, 12), (b"C-4", 1, 5))
    await pipelined_records(stream, failing_at(11))
    # the other partition goes on; behind the failed record nothing of its partition is finished
    assert sorted(stream.app.consumer.finished_offsets) == [(0, 10), (1, 5)]
