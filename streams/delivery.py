"""Writing records so that they are known to be on the broker, or known to be refused.

Transient broker trouble (a leader moving, the broker restarting) is waited out with back-off:
giving up would turn an outage into lost work. A refusal that cannot heal (a record over the
broker's size limit, a topic this principal may not write) is raised as PublishRefused, so the
event that caused it can be dead-lettered instead.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, Protocol

from aiokafka.errors import (
    KafkaError,
    MessageSizeTooLargeError,
    RecordTooLargeError,
    TopicAuthorizationFailedError,
)

from streams.deadletter import DeadLetter
from streams.retry import delay

log = logging.getLogger(__name__)

# The broker's default message.max.bytes: the producer may send what the broker accepts.
BROKER_RECORD_LIMIT = 1_048_588
# Room kept for a dead letter's headers and the batch framing around one record.
LETTER_OVERHEAD = 16_384
_PERMANENT = (MessageSizeTooLargeError, RecordTooLargeError, TopicAuthorizationFailedError)


class PublishRefused(Exception):
    """The broker will never take this record; the message says why."""


class Producer(Protocol):
    async def send(
        self,
        topic: str,
        key: bytes | None,
        value: bytes | None,
        partition: int | None,
        timestamp: float | None,
        headers: Any,
    ) -> Awaitable[Any]: ...


class Record(Protocol):
    topic: str
    key: bytes
    value: bytes
    headers: list[tuple[str, bytes]]


def _permanent(exc: BaseException) -> BaseException | None:
    """The permanent refusal behind ``exc`` (faust wraps aiokafka's errors), if it is one."""
    while exc is not None:
        if isinstance(exc, _PERMANENT):
            return exc
        exc = exc.__cause__  # type: ignore[assignment]
    return None


async def deliver(
    producer: Producer,
    records: Sequence[Record],
    *,
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
) -> None:
    """Send ``records`` and wait for every acknowledgement; retry what fails for a passing reason.

    A retry may send a record the broker already has: its event id is the same, and consumers
    drop it as a duplicate.
    """
    attempt = 0
    while True:
        try:
            futures = [await producer.send(r.topic, r.key, r.value, None, None, r.headers) for r in records]
            await asyncio.gather(*futures)
            return
        except Exception as exc:
            refusal = _permanent(exc)
            if refusal is not None:
                raise PublishRefused(f"{type(refusal).__name__}: {refusal}") from exc
            if not isinstance(exc, KafkaError) and not isinstance(exc.__cause__, KafkaError):
                raise
            attempt += 1
            if attempt == 1 or attempt % 10 == 0:
                log.warning("publishing %d records failed (%s); retrying", len(records), exc)
            await sleep(delay(attempt))


class Source(Protocol):
    topic: str
    partition: int
    offset: int
    key: bytes | None
    value: bytes | None


class _Letter:
    __slots__ = ("topic", "key", "value", "headers")

    def __init__(self, topic: str, key: bytes | None, value: bytes | None, headers: list) -> None:
        self.topic, self.key, self.value, self.headers = topic, key, value, headers


async def dead_letter(
    producer: Producer, topic: str, source: Source, letter: DeadLetter, *, agent: str
) -> bool:
    """Write ``letter`` for the record at ``source``; return whether it carries the original bytes.

    A letter that would not fit the broker's limit is written as a reference (no value, the
    source's position and size in the headers): the original stays on its source topic.
    """
    size = len(source.value or b"")

    def build(truncated: bool) -> _Letter:
        headers = letter.headers(
            agent=agent,
            topic=source.topic,
            partition=source.partition,
            offset=source.offset,
            size=size,
            truncated=truncated,
        )
        key = source.key if source.key is None or len(source.key) < LETTER_OVERHEAD else None
        return _Letter(topic, key, None if truncated else source.value, headers)

    whole = size + len(source.key or b"") + LETTER_OVERHEAD <= BROKER_RECORD_LIMIT
    if whole:
        try:
            await deliver(producer, [build(truncated=False)])
            return True
        except PublishRefused:
            pass  # too large after all: fall back to the reference
    await deliver(producer, [build(truncated=True)])
    return False
