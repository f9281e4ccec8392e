"""Batches: gathered while the last one was processed, split into rounds of different keys."""

from __future__ import annotations

import asyncio

import pytest

from streams.batches import Gathered, rounds


def test_the_records_of_one_key_go_one_per_round_in_the_order_read() -> None:
    records = [("a", 1), ("b", 1), ("a", 2), ("c", 1), ("a", 3), ("b", 2)]
    assert rounds(records, key=lambda r: r[0]) == [
        [("a", 1), ("b", 1), ("c", 1)],
        [("a", 2), ("b", 2)],
        [("a", 3)],
    ]


def test_records_of_different_keys_share_one_round() -> None:
    records = [(key, 1) for key in "abcdef"]
    assert rounds(records, key=lambda r: r[0]) == [records]


def test_an_empty_batch_has_no_round() -> None:
    assert rounds([], key=lambda r: r) == []


class Source:
    """Items handed over by the test, one at a time, as a stream hands out records."""

    def __init__(self) -> None:
        self.queue: asyncio.Queue = asyncio.Queue()
        self.handed: list[int] = []

    async def items(self):
        while (item := await self.queue.get()) is not None:
            self.handed.append(item)
            yield item


async def settle() -> None:
    for _ in range(10):
        await asyncio.sleep(0)


async def test_one_item_is_taken_at_once_without_waiting_for_more() -> None:
    source, gathered = Source(), Gathered(limit=500)
    filling = asyncio.create_task(gathered.fill(source.items()))
    source.queue.put_nowait(1)
    assert await asyncio.wait_for(gathered.take(), timeout=1) == [1]
    filling.cancel()


async def test_what_came_while_a_batch_was_processed_is_the_next_batch() -> None:
    source, gathered = Source(), Gathered(limit=500)
    filling = asyncio.create_task(gathered.fill(source.items()))
    source.queue.put_nowait(1)
    assert await gathered.take() == [1]
    for item in (2, 3, 4):  # arrive while batch [1] is processed
        source.queue.put_nowait(item)
    await settle()
    assert await gathered.take() == [2, 3, 4]
    filling.cancel()


async def test_the_source_waits_at_the_limit_until_the_batch_is_taken() -> None:
    source, gathered = Source(), Gathered(limit=2)
    filling = asyncio.create_task(gathered.fill(source.items()))
    for item in (1, 2, 3):
        source.queue.put_nowait(item)
    await settle()
    assert source.handed == [1, 2]  # the third is not taken from the stream yet
    assert await gathered.take() == [1, 2]
    await settle()
    assert await gathered.take() == [3]
    filling.cancel()


async def test_nothing_is_taken_once_the_source_ended_and_what_ended_it_is_raised() -> None:
    async def failing():
        yield 1
        raise RuntimeError("the stream crashed")

    gathered = Gathered(limit=500)
    filling = asyncio.create_task(gathered.fill(failing()))
    assert await gathered.take() == [1]
    assert await gathered.take() == []
    with pytest.raises(RuntimeError, match="crashed"):
        await filling
