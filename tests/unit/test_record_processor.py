"""The order an agent handles a record in: outputs acknowledged first, state and dedupe mark after."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

import pytest

from agents import market_regulation
from streams.clock import Clock
from streams.events import NewEvent
from streams.intake import Expectation
from streams.processing import DepartmentProcessor
from streams.publisher import Publisher
from streams.runtime import RecordProcessor
from streams.step import Step
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
