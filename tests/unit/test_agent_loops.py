"""An agent tells the consumer a record is finished only once it processed it."""

from __future__ import annotations

from types import SimpleNamespace

from streams.runtime import batched_records, records_in_order


class Consumer:
    def __init__(self, log: list[str]) -> None:
        self.finished_offsets: list[tuple[int, int]] = []
        self.log = log

    def finished(self, message: SimpleNamespace) -> None:
        self.finished_offsets.append((message.partition, message.offset))
        self.log.append(f"finished {message.offset}")


class Stream:
    """faust's stream as the loops use it: events in read order, acknowledgements off."""

    def __init__(self, *records: tuple[bytes, int, int]) -> None:
        self.log: list[str] = []
        self.app = SimpleNamespace(consumer=Consumer(self.log))
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

    async def ack(self, event: SimpleNamespace) -> None:
        self.acknowledged.append(event.message.offset)
        self.log.append(f"acknowledged {event.message.offset}")

    def finished_before_acknowledged(self) -> bool:
        """The consumer counts a finish only if it came before faust's acknowledgement."""
        return all(
            self.log.index(f"finished {o}") < self.log.index(f"acknowledged {o}")
            for _, o in self.app.consumer.finished_offsets
        )


def failing_at(offset: int):
    async def process(messages: list[SimpleNamespace]) -> list[SimpleNamespace]:
        return [message for message in messages if message.offset != offset]

    return process


async def test_in_order_nothing_after_a_record_left_unfinished_is_finished() -> None:
    stream = Stream((b"C-1", 0, 10), (b"C-2", 0, 11), (b"C-3", 0, 12))
    processed = []

    async def process(messages):
        processed.extend(m.offset for m in messages)
        return await failing_at(11)(messages)

    await records_in_order(stream, process)
    # faust's acknowledgement alone would let the commit pass it: only finished records count
    assert stream.app.consumer.finished_offsets == [(0, 10)]
    assert processed == [10, 11]  # state spans keys here: 12 waits for the restart
    assert stream.acknowledged == [10, 11, 12]
    assert stream.finished_before_acknowledged()


async def test_a_record_left_unfinished_is_not_finished_in_a_batch() -> None:
    stream = Stream((b"C-1", 0, 10), (b"C-2", 0, 11), (b"C-3", 0, 12), (b"C-4", 1, 5))
    await batched_records(stream, failing_at(11))
    assert stream.app.consumer.finished_offsets == [(0, 10), (0, 12), (1, 5)]
    assert stream.acknowledged == [10, 11, 12, 5]  # every one, after the finished ones were counted
    assert stream.finished_before_acknowledged()
