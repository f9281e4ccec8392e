"""Records in flight together: in order per key, acknowledged in read order per partition."""

from __future__ import annotations

import asyncio

from streams.pipeline import KeyedPipeline


class Book:
    """What ran, and what was acknowledged, in order."""

    def __init__(self) -> None:
        self.events: list[str] = []
        self.acknowledged: list[str] = []
        self.gates: dict[str, asyncio.Event] = {}

    def gate(self, name: str) -> asyncio.Event:
        return self.gates.setdefault(name, asyncio.Event())

    def work(self, name: str, *, fails: bool = False):
        async def run() -> None:
            self.events.append(f"start {name}")
            await self.gate(name).wait()
            self.events.append(f"end {name}")
            if fails:
                raise RuntimeError(f"{name} failed")

        return run

    def acknowledge(self, name: str):
        async def ack() -> None:
            self.acknowledged.append(name)

        return ack


async def settle() -> None:
    for _ in range(10):
        await asyncio.sleep(0)


async def test_records_of_one_key_run_one_after_another_in_read_order() -> None:
    book, pipeline = Book(), KeyedPipeline()
    for name in ("a1", "a2"):
        await pipeline.submit("case-a", 0, book.work(name), book.acknowledge(name))
    await settle()
    assert book.events == ["start a1"]  # a2 waits for a1's state
    book.gate("a1").set()
    book.gate("a2").set()
    await pipeline.drain()
    assert book.events == ["start a1", "end a1", "start a2", "end a2"]
    assert book.acknowledged == ["a1", "a2"]


async def test_records_of_different_keys_overlap() -> None:
    book, pipeline = Book(), KeyedPipeline()
    await pipeline.submit("case-a", 0, book.work("a"), book.acknowledge("a"))
    await pipeline.submit("case-b", 1, book.work("b"), book.acknowledge("b"))
    await settle()
    assert book.events == ["start a", "start b"]
    book.gate("b").set()
    await settle()
    assert book.acknowledged == ["b"]  # another partition: no need to wait for a
    book.gate("a").set()
    await pipeline.drain()
    assert book.acknowledged == ["b", "a"]


async def test_a_record_finished_early_is_acknowledged_after_those_before_it_on_its_partition() -> None:
    book, pipeline = Book(), KeyedPipeline()
    await pipeline.submit("case-a", 0, book.work("a"), book.acknowledge("a"))
    await pipeline.submit("case-b", 0, book.work("b"), book.acknowledge("b"))
    book.gate("b").set()
    await settle()
    assert book.events == ["start a", "start b", "end b"]
    assert book.acknowledged == []  # b's offset may not be committed while a is in flight
    book.gate("a").set()
    await pipeline.drain()
    assert book.acknowledged == ["a", "b"]


async def test_a_failed_record_is_never_acknowledged_nor_anything_behind_it_on_its_partition() -> None:
    book, pipeline = Book(), KeyedPipeline()
    await pipeline.submit("case-a", 0, book.work("a", fails=True), book.acknowledge("a"))
    await pipeline.submit("case-b", 0, book.work("b"), book.acknowledge("b"))
    await pipeline.submit("case-c", 1, book.work("c"), book.acknowledge("c"))
    for name in "abc":
        book.gate(name).set()
    await pipeline.drain()
    assert book.acknowledged == ["c"]


async def test_no_more_than_depth_records_are_in_flight() -> None:
    book, pipeline = Book(), KeyedPipeline(depth=2)
    await pipeline.submit("a", 0, book.work("a"), book.acknowledge("a"))
    await pipeline.submit("b", 0, book.work("b"), book.acknowledge("b"))
    third = asyncio.create_task(pipeline.submit("c", 0, book.work("c"), book.acknowledge("c")))
    await settle()
    assert not third.done() and pipeline.in_flight == 2
    book.gate("a").set()
    await settle()
    assert third.done()
    book.gate("b").set()
    book.gate("c").set()
    await pipeline.drain()
    assert book.acknowledged == ["a", "b", "c"]
