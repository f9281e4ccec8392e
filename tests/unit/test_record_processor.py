"""The order an agent handles a record in: outputs acknowledged first, state and dedupe mark after."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

import pytest
from aiokafka.errors import MessageSizeTooLargeError

from agents import market_regulation
from streams.clock import Clock
from streams.events import NewEvent
from streams.intake import Expectation
from streams.processing import DepartmentProcessor
from streams.publisher import Publisher
from streams.runtime import RecordProcessor
from streams.step import Step
from streams.topics import DEAD_LETTER_TOPIC
from tests.unit.test_processing import application

APPLICATIONS = "gov.service_center.restaurant_application_submitted.v1"


@dataclass
class Message:
    topic: str
    key: bytes
    value: bytes
    partition: int = 0
    offset: int = 7


class Crash(BaseException):
    """The process dying mid-send (a BaseException, as a kill would not be caught either)."""


class Broker:
    """Records what was acknowledged; ``crash_after`` sends, the process dies."""

    def __init__(self, crash_after: int | None = None) -> None:
        self.crash_after = crash_after
        self.acknowledged: list[tuple[str, bytes | None]] = []

    async def send(self, topic, key, value, partition, timestamp, headers):
        if self.crash_after is not None and len(self.acknowledged) >= self.crash_after:
            raise Crash
        future = asyncio.get_running_loop().create_future()
        future.set_result(None)
        self.acknowledged.append((topic, value))
        return future


def processor_for(catalog, codec, broker: Broker, processed: dict, joins: dict) -> RecordProcessor:
    publisher = Publisher(catalog, codec, producer="market_regulation", version="1")
    department = DepartmentProcessor(market_regulation.department, publisher, joins=joins)

    async def handle(event) -> Step:
        step = await department.process(event)
        step.write(joins, "state-of-" + event.case_id, "written")
        return step

    expect = Expectation.of(catalog, [APPLICATIONS])
    return RecordProcessor(
        "market_regulation", codec, expect, handle, processed=processed, producer=broker, clock=Clock()
    )


def application_message(catalog, codec) -> tuple[Message, str]:
    """An application as the service desk publishes it."""
    desk = Publisher(catalog, codec, producer="service_center", version="1")
    new = NewEvent("RestaurantApplicationSubmitted", application().payload, "ct_x")
    record = desk.build(new, cause=None, case_id="C-1")
    return Message(record.topic, record.key, record.value), record.event.event_id


async def test_a_crash_before_the_outputs_are_acknowledged_settles_nothing(catalog, codec):
    processed: dict = {}
    joins: dict = {}
    message, event_id = application_message(catalog, codec)

    with pytest.raises(Crash):
        await processor_for(catalog, codec, Broker(crash_after=0), processed, joins).process(message)
    assert processed == {} and joins == {}  # the redelivery will handle it again

    redelivered = Broker()
    await processor_for(catalog, codec, redelivered, processed, joins).process(message)
    assert redelivered.acknowledged, "the outputs were published on the redelivery"
    assert event_id in processed and joins["state-of-" + message.key.decode()] == "written"

    # A third delivery (the offset was not committed yet) is skipped: nothing is published again.
    again = Broker()
    await processor_for(catalog, codec, again, processed, joins).process(message)
    assert again.acknowledged == []


def applications(catalog, codec, *case_ids: str) -> list[Message]:
    """Applications of ``case_ids`` in this order, one offset each."""
    desk = Publisher(catalog, codec, producer="service_center", version="1")
    messages = []
    for offset, case_id in enumerate(case_ids):
        new = NewEvent("RestaurantApplicationSubmitted", application().payload, "ct_x")
        record = desk.build(new, cause=None, case_id=case_id)
        messages.append(Message(record.topic, record.key, record.value, offset=offset))
    return messages


def counting_processor(catalog, codec, broker, processed: dict, state: dict) -> RecordProcessor:
    """A handler that counts the records it handled per case in ``state``, read before written."""
    publisher = Publisher(catalog, codec, producer="market_regulation", version="1")
    department = DepartmentProcessor(market_regulation.department, publisher)

    async def handle(event) -> Step:
        step = await department.process(event)
        step.write(state, event.case_id, state.get(event.case_id, 0) + 1)
        return step

    expect = Expectation.of(catalog, [APPLICATIONS])
    return RecordProcessor(
        "market_regulation", codec, expect, handle, processed=processed, producer=broker, clock=Clock()
    )


async def test_a_cases_records_in_one_batch_each_see_the_state_the_one_before_wrote(catalog, codec):
    state: dict = {}
    messages = applications(catalog, codec, "C-1", "C-2", "C-1", "C-1")
    processor = counting_processor(catalog, codec, Broker(), {}, state)
    finished = await processor.process_batch(messages)
    assert [m.offset for m in finished] == [0, 1, 2, 3]
    assert state == {"C-1": 3, "C-2": 1}  # no record of C-1 was handled from a state missing one


class HeldBroker(Broker):
    """Acknowledges nothing until ``expected`` records were sent."""

    def __init__(self, expected: int) -> None:
        super().__init__()
        self.expected = expected
        self.futures: list[asyncio.Future] = []

    async def send(self, topic, key, value, partition, timestamp, headers):
        self.futures.append(asyncio.get_running_loop().create_future())
        self.acknowledged.append((topic, value))
        if len(self.futures) == self.expected:
            for future in self.futures:
                future.set_result(None)
        return self.futures[-1]


async def test_every_output_of_a_batch_is_sent_before_any_is_waited_for(catalog, codec):
    messages = applications(catalog, codec, "C-1", "C-2", "C-3")
    broker = HeldBroker(expected=3)  # one licence per application
    processor = counting_processor(catalog, codec, broker, {}, {})
    # One record at a time would wait for the first licence, which comes only after the third send.
    finished = await asyncio.wait_for(processor.process_batch(messages), timeout=5)
    assert len(finished) == 3


class RefusingBroker(Broker):
    """Refuses for good every output keyed ``refused``; takes the rest."""

    def __init__(self, refused: bytes) -> None:
        super().__init__()
        self.refused = refused

    async def send(self, topic, key, value, partition, timestamp, headers):
        if key == self.refused and topic != DEAD_LETTER_TOPIC:
            raise MessageSizeTooLargeError("too large")
        return await super().send(topic, key, value, partition, timestamp, headers)


async def test_an_output_the_broker_refuses_dead_letters_its_own_record_only(catalog, codec):
    processed: dict = {}
    state: dict = {}
    messages = applications(catalog, codec, "C-1", "C-2", "C-3")
    broker = RefusingBroker(refused=b"C-2")
    finished = await counting_processor(catalog, codec, broker, processed, state).process_batch(messages)
    assert sorted(m.offset for m in finished) == [0, 1, 2]  # C-2 finished as a dead letter
    assert state == {"C-1": 1, "C-3": 1}
    assert [topic for topic, _ in broker.acknowledged].count(DEAD_LETTER_TOPIC) == 1


class FailingTable(dict):
    """A state table whose write for ``key`` fails once (a bug, not the record's fault)."""

    def __init__(self, key: str) -> None:
        super().__init__()
        self.key = key

    def __setitem__(self, key, value) -> None:
        if key == self.key and key not in self:
            raise RuntimeError("table write failed")
        super().__setitem__(key, value)


async def test_a_record_that_failed_leaves_its_cases_later_records_unfinished(catalog, codec):
    state = FailingTable("C-1")
    messages = applications(catalog, codec, "C-1", "C-2", "C-1")
    processor = counting_processor(catalog, codec, Broker(), {}, state)
    finished = await processor.process_batch(messages)
    # C-1's second record is not handled from a state its first never wrote: both are read again
    assert [m.offset for m in finished] == [1]
    assert state == {"C-2": 1}
    # nor is a record of C-1 in a later batch, until the restart reads the first one again
    later = applications(catalog, codec, "C-1", "C-3")
    assert [m.key for m in await processor.process_batch(later)] == [b"C-3"]


async def test_an_agent_without_processed_ids_handles_a_redelivery_again_and_keeps_no_ids(catalog, codec):
    state: dict = {}
    message = applications(catalog, codec, "C-1")[0]
    processor = counting_processor(catalog, codec, Broker(), None, state)
    assert await processor.process(message) and await processor.process(message)
    assert state == {"C-1": 2}  # its handler must come out the same: nothing skipped it
