"""What an agent does with a record before any handler sees it.

Learn the writer's schema (waiting out a registry outage: a valid record must never be
dead-lettered because the registry was restarting), decode, and check the envelope against the
topic it came from and the Kafka key. Anything else is refused with a dead letter's reason.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass

from streams.codec import Codec, DecodeError, RegistryUnavailable
from streams.contracts import Catalog
from streams.deadletter import MISMATCHED_ENVELOPE, UNDECODABLE, DeadLetter
from streams.events import Event
from streams.processing import to_event
from streams.retry import delay

log = logging.getLogger(__name__)

# An id the registry says it does not know may still be on its way (another registry instance
# catching up): asked again this many times, with back-off, before the record is dead-lettered.
UNKNOWN_ID_ATTEMPTS = 4


class Refused(Exception):
    """The record cannot be processed; ``letter`` says why."""

    def __init__(self, letter: DeadLetter) -> None:
        super().__init__(letter.reason)
        self.letter = letter


@dataclass(frozen=True, slots=True)
class Expectation:
    """What records on an agent's topics must be: the record types per topic, and the key."""

    types_by_topic: dict[str, frozenset[str]]
    # The envelope field a record is keyed by: the case id, except where a topic re-keys.
    key_of: Callable[[Event], str] = lambda event: event.case_id

    @classmethod
    def of(cls, catalog: Catalog, topics: list[str]) -> Expectation:
        """Each event topic carries the one record type it is named after."""
        by_topic = {contract.topic: contract.full_name for contract in catalog}
        return cls({t: frozenset({by_topic[t]}) for t in topics if t in by_topic})

    def problem(self, topic: str, key: bytes | None, event: Event, full_name: str) -> str:
        allowed = self.types_by_topic.get(topic, frozenset())
        if full_name not in allowed:
            return f"a {full_name} record on {topic}, which carries {', '.join(sorted(allowed)) or 'nothing'}"
        stated = event.envelope.get("event_type")
        if stated != full_name:
            return f"the envelope says event_type {stated!r}, but the record is a {full_name}"
        expected = self.key_of(event)
        if key is None or key.decode(errors="replace") != expected:
            shown = "no key" if key is None else f"the key {key.decode(errors='replace')!r}"
            return f"{shown} does not match the envelope's {expected!r}"
        return ""


async def admit(
    codec: Codec,
    topic: str,
    key: bytes | None,
    value: bytes | None,
    *,
    expect: Expectation,
    sleep: Callable[[float], object] = asyncio.sleep,
) -> Event:
    """Decode and check one record; raise Refused with the reason it cannot be processed."""
    try:
        schema_id, body = codec.split(value)
        await _learn(codec, schema_id, sleep)
        contract, record = codec.decode_body(schema_id, body)
    except DecodeError as exc:
        raise Refused(DeadLetter(UNDECODABLE, str(exc))) from None
    event = to_event(contract, record)
    problem = expect.problem(topic, key, event, contract.full_name)
    if problem:
        raise Refused(DeadLetter(MISMATCHED_ENVELOPE, problem))
    return event


async def _learn(codec: Codec, schema_id: int, sleep: Callable[[float], object]) -> None:
    """Make the codec know ``schema_id``: retry a registry outage for as long as it lasts."""
    if reason := codec.refusal(schema_id):
        raise DecodeError(reason)  # asked a moment ago for an earlier record
    attempt = 0
    unknown = 0
    while not codec.knows(schema_id):
        try:
            # The registry client blocks; the event loop must keep heartbeating meanwhile.
            await asyncio.to_thread(codec.learn, schema_id)
            return
        except RegistryUnavailable as exc:
            if attempt % 20 == 0:
                log.warning("waiting for the schema registry (%s); the record waits too", exc)
        except DecodeError:
            unknown += 1
            if unknown >= UNKNOWN_ID_ATTEMPTS:
                raise
        attempt += 1
        await sleep(delay(attempt, base=0.25))  # type: ignore[misc]
