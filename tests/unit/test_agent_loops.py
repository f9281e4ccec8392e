"""An agent tells the consumer a record is finished only once it processed it."""

from __future__ import annotations

from types import SimpleNamespace

from streams.runtime import batched_records, records_in_order


class Consumer:
    def __init__(self) -> None:
        self.finished_offsets: list[tuple[int, int]] = []

    def finished(self, message: SimpleNamespace) -> None:
        self.finished_offsets.append((message.partition, message.offset))


class Stream:
    """faust's stream as the loops use it: events in read order, acknowledgements off."""

    def __init__(self, *records: tuple[bytes, int, int]) -> None:
        self.app = SimpleNamespace(consumer=Consumer())
        self._events = [
            SimpleNamespace(message=SimpleNamespace(key=key, partition=p, offset=o, tp=p))
            for key, p, o in records
        ]
        self.acknowledged: list[int] = []

    def noack(self) -> Stream:
        return self

    async def events(self):
        for event in self._events:
            yield event

    async def take_events(self, max_: int, within: float):
        for start in range(0, len(self._events), 2):  # batches of two
            batch = self._events[start : start + 2]
            yield batch
            self.acknowledged += [event.message.offset for event in batch]  # faust acks each batch

    async def ack(self, event: SimpleNamespace) -> None:
        self.acknowledged.append(event.message.offset)


def failing_at(offset: int):
    async def process(messages: list[SimpleNamespace]) -> list[SimpleNamespace]:
        return [message for message in messages if message.offset != offset]

    return process


async def test_a_record_left_unfinished_is_acknowledged_but_not_finished_in_order() -> None:
    stream = Stream((b"C-1", 0, 10), (b"C-2", 0, 11), (b"C-3", 0, 12))
    await records_in_order(stream, failing_at(11))
    # faust's acknowledgement alone would let the commit pass it: only finished records count
    assert stream.app.consumer.finished_offsets == [(0, 10), (0, 12)]
    assert stream.acknowledged == [10, 11, 12]


async def test_a_record_left_unfinished_is_not_finished_in_a_batch() -> None:
    stream = Stream((b"C-1", 0, 10), (b"C-2", 0, 11), (b"C-3", 0, 12), (b"C-4", 1, 5))
    await batched_records(stream, failing_at(11))
    assert stream.app.consumer.finished_offsets == [(0, 10), (0, 12), (1, 5)]
    assert stream.acknowledged == [10, 11, 12, 5]  # every one, once its batch was processed
