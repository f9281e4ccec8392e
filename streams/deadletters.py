"""Dead letters for operators: read them back, pick some, fetch truncated originals, replay them.

Everything reads with assign() and seek, never in a consumer group: looking at the dead-letter
topic must not move anybody's offsets. A replay puts the original record back on its source topic
and partition, and is recorded in a small compacted topic keyed by the letter's position, so a
letter is replayed once unless the operator asks again. Replaying twice is harmless anyway: every
consumer drops an event id it already processed.
"""

from __future__ import annotations

import json
import logging
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from kafka import KafkaConsumer, KafkaProducer, TopicPartition

from streams.calendar import CHINA
from streams.config import Settings
from streams.deadletter import (
    AGENT,
    AGENT_FAILED,
    HANDLER_FAILED,
    INVALID_OUTPUT,
    KIND,
    MISMATCHED_ENVELOPE,
    PUBLISH_FAILED,
    REASON,
    REPLAYED_FROM,
    SOURCE_OFFSET,
    SOURCE_PARTITION,
    SOURCE_SIZE,
    SOURCE_TOPIC,
    TRUNCATED,
    UNDECODABLE,
    header_map,
)
from streams.security import kafka_options
from streams.topics import DEAD_LETTER_REPLAYS_TOPIC, DEAD_LETTER_TOPIC, dead_letter_replays_topic, provision

KINDS = (UNDECODABLE, MISMATCHED_ENVELOPE, HANDLER_FAILED, INVALID_OUTPUT, PUBLISH_FAILED, AGENT_FAILED)
# What the dead-letter writer adds; any other header on a letter came with the original record.
LETTER_HEADERS = frozenset(
    {KIND, REASON, AGENT, SOURCE_TOPIC, SOURCE_PARTITION, SOURCE_OFFSET, SOURCE_SIZE, TRUNCATED}
)
# A record may be as large as the broker takes (about 1 MB by default) plus a replay header.
MAX_RECORD_BYTES = 4 * 1024 * 1024


@dataclass(frozen=True, order=True, slots=True)
class Position:
    """Where a record sits in a topic: ``partition:offset``, as operators type it."""

    partition: int
    offset: int

    def __str__(self) -> str:
        return f"{self.partition}:{self.offset}"

    @classmethod
    def parse(cls, text: str) -> Position:
        partition, sep, offset = text.strip().partition(":")
        if sep and partition.isdigit() and offset.isdigit():
            return cls(int(partition), int(offset))
        raise ValueError(f"{text!r} is not a dead letter's position: PARTITION:OFFSET, e.g. 0:42")


@dataclass(frozen=True, slots=True)
class Source:
    """The record a letter is about, on its own topic."""

    topic: str
    partition: int
    offset: int

    def __str__(self) -> str:
        return f"{self.topic}[{self.partition}]@{self.offset}"


@dataclass(frozen=True, slots=True)
class Original:
    """A record as it was (or is again) on its source topic."""

    key: bytes | None
    value: bytes | None
    headers: tuple[tuple[str, bytes], ...]


@dataclass(frozen=True, slots=True)
class Letter:
    position: Position
    timestamp: int  # ms since the epoch, when the letter was written
    key: bytes | None
    value: bytes | None
    headers: tuple[tuple[str, bytes], ...]

    @property
    def fields(self) -> dict[str, str]:
        return header_map(list(self.headers))

    @property
    def kind(self) -> str:
        return self.fields.get(KIND, "")

    @property
    def reason(self) -> str:
        return self.fields.get(REASON, "")

    @property
    def agent(self) -> str:
        return self.fields.get(AGENT, "")

    @property
    def truncated(self) -> bool:
        return self.fields.get(TRUNCATED) == "true"

    @property
    def size(self) -> int:
        """The original value's size: a reference carries no bytes, only this number."""
        stated = self.fields.get(SOURCE_SIZE, "")
        return int(stated) if stated.isdigit() else len(self.value or b"")

    @property
    def source(self) -> Source | None:
        fields = self.fields
        partition, offset = fields.get(SOURCE_PARTITION, ""), fields.get(SOURCE_OFFSET, "")
        if not fields.get(SOURCE_TOPIC) or not partition.isdigit() or not offset.isdigit():
            return None
        return Source(fields[SOURCE_TOPIC], int(partition), int(offset))

    @property
    def case_key(self) -> str:
        return "" if self.key is None else self.key.decode(errors="replace")

    @property
    def time(self) -> datetime:
        return datetime.fromtimestamp(self.timestamp / 1000, CHINA)

    def original(self) -> Original:
        """The original record as the letter carries it (not for a reference: it carries no bytes)."""
        if self.truncated:
            raise ValueError(f"dead letter {self.position} is a reference: its original is on {self.source}")
        kept = tuple((k, v) for k, v in self.headers if k not in LETTER_HEADERS)
        return Original(self.key, self.value, kept)


def parse_kind(text: str) -> str:
    if text not in KINDS:
        raise ValueError(f"unknown dead-letter kind {text!r}; kinds: {', '.join(KINDS)}")
    return text


def parse_time(text: str) -> datetime:
    """An ISO time; without a zone it is Beijing time, the platform's calendar."""
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{text!r} is not an ISO time, e.g. 2026-12-01 or 2026-12-01T09:30") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=CHINA)


@dataclass(frozen=True, kw_only=True, slots=True)
class Selection:
    """Which letters an operator means: every condition given must hold."""

    agent: str | None = None
    kind: str | None = None
    since: datetime | None = None
    until: datetime | None = None

    def __post_init__(self) -> None:
        if self.kind is not None:
            parse_kind(self.kind)
        if self.since and self.until and self.since > self.until:
            raise ValueError("--since is later than --until")

    def matches(self, letter: Letter) -> bool:
        return (
            (self.agent is None or letter.agent == self.agent)
            and (self.kind is None or letter.kind == self.kind)
            and (self.since is None or letter.time >= self.since)
            and (self.until is None or letter.time < self.until)
        )

    def pick(self, letters: Iterable[Letter]) -> list[Letter]:
        return [letter for letter in letters if self.matches(letter)]


def counts(letters: Iterable[Letter]) -> dict[tuple[str, str], int]:
    """How many letters per (agent, kind), sorted by agent then kind."""
    counted = Counter((letter.agent, letter.kind) for letter in letters)
    return dict(sorted(counted.items()))


def unique(positions: Iterable[Position]) -> list[Position]:
    """Each position once, in the order first given."""
    return list(dict.fromkeys(positions))


class RecordGone(LookupError):
    """The record is no longer on its topic (retention or compaction removed it), or never was."""


@contextmanager
def _quiet_kafka() -> Iterator[None]:
    # kafka-python logs refused connections and a consumer's close at ERROR; callers report
    # failures themselves, in one line.
    kafka_log = logging.getLogger("kafka")
    level = kafka_log.level
    kafka_log.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        kafka_log.setLevel(level)


class DeadLetterDesk:
    """One operator's session on the broker: a consumer that seeks, a producer for replays."""

    def __init__(self, settings: Settings, *, timeout: float = 60) -> None:
        self._settings = settings
        self._timeout = timeout
        self._consumer = KafkaConsumer(
            bootstrap_servers=settings.bootstrap_servers,
            group_id=None,
            enable_auto_commit=False,
            max_partition_fetch_bytes=MAX_RECORD_BYTES,
            fetch_max_bytes=MAX_RECORD_BYTES * 4,
            **kafka_options(settings),
        )
        self._producer: KafkaProducer | None = None

    # Reading

    def letters(self) -> list[Letter]:
        """Every letter on the dead-letter topic now, by position."""
        return [_letter(r) for r in self._read_all(DEAD_LETTER_TOPIC)]

    def letter(self, position: Position) -> Letter:
        record = self._record_at(DEAD_LETTER_TOPIC, position.partition, position.offset)
        if record is None:
            raise LookupError(f"no dead letter at {position}")
        return _letter(record)

    def original(self, letter: Letter) -> Original:
        """The original record: fetched from its source for a reference; otherwise the letter's
        bytes, with the source record's own headers when it is still there (letters keep none)."""
        source = letter.source
        if not letter.truncated:
            carried = letter.original()
            if source is None:
                return carried
            record = self._record_at(source.topic, source.partition, source.offset)
            if record is None or record.value != carried.value:
                return carried  # gone, or not the record the letter says: trust the letter
            # The source's key too: a letter drops a key too large to copy.
            return Original(record.key, carried.value, tuple(record.headers or ()) or carried.headers)
        if source is None:
            raise RecordGone(f"dead letter {letter.position} is a reference without a source")
        record = self._record_at(source.topic, source.partition, source.offset)
        if record is None:
            raise RecordGone(
                f"the original of dead letter {letter.position} is gone from {source} "
                "(removed by retention, or the topic was recreated)"
            )
        return Original(record.key, record.value, tuple(record.headers or ()))

    def replayed(self) -> dict[Position, dict[str, Any]]:
        """Letters replayed before, with where and when; empty if nothing was ever replayed."""
        done: dict[Position, dict[str, Any]] = {}
        for record in self._read_all(DEAD_LETTER_REPLAYS_TOPIC):
            try:
                position = Position.parse((record.key or b"").decode())
            except ValueError:
                continue  # not one of ours
            if record.value is None:
                done.pop(position, None)  # a tombstone forgets the replay
            else:
                done[position] = json.loads(record.value)
        return done

    # Writing

    def replay(self, letter: Letter, original: Original) -> Source:
        """Put ``original`` back where it came from; return where the copy landed."""
        source = letter.source
        if source is None:
            raise ValueError(f"dead letter {letter.position} names no source topic to replay to")
        producer = self._ensure_producer()
        headers = [(k, v) for k, v in original.headers if k != REPLAYED_FROM]
        headers.append((REPLAYED_FROM, str(letter.position).encode()))
        # The source partition, not the key's hash: a record from a foreign producer goes back
        # exactly where it was, next to the events it was read with.
        sent = producer.send(
            source.topic,
            key=original.key,
            value=original.value,
            headers=headers,
            partition=source.partition,
        ).get(self._timeout)
        copy = Source(sent.topic, sent.partition, sent.offset)
        note = {
            "replayed_at": int(time.time() * 1000),
            "topic": copy.topic,
            "partition": copy.partition,
            "offset": copy.offset,
        }
        producer.send(
            DEAD_LETTER_REPLAYS_TOPIC, key=str(letter.position).encode(), value=json.dumps(note).encode()
        ).get(self._timeout)
        return copy

    def close(self) -> None:
        with _quiet_kafka():
            if self._producer is not None:
                self._producer.close(timeout=5)
            self._consumer.close()

    def __enter__(self) -> DeadLetterDesk:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # Plumbing

    def _ensure_producer(self) -> KafkaProducer:
        if self._producer is None:
            # A broker whose worker predates the replay record gets the topic now (idempotent).
            security = kafka_options(self._settings)
            provision(self._settings.bootstrap_servers, [dead_letter_replays_topic()], **security)
            self._producer = KafkaProducer(
                bootstrap_servers=self._settings.bootstrap_servers,
                acks="all",
                max_request_size=MAX_RECORD_BYTES,
                **security,
            )
        return self._producer

    def _partitions(self, topic: str) -> list[TopicPartition]:
        return [TopicPartition(topic, p) for p in sorted(self._consumer.partitions_for_topic(topic) or ())]

    def _read_all(self, topic: str) -> list[Any]:
        """Every record of ``topic`` up to its end when called, ordered by partition and offset."""
        partitions = self._partitions(topic)
        if not partitions:
            return []  # nobody has written it yet: no letters, no replays
        ends = self._consumer.end_offsets(partitions)
        self._consumer.assign(partitions)
        self._consumer.seek_to_beginning(*partitions)
        records: list[Any] = []
        deadline = time.monotonic() + self._timeout
        # Positions, not record offsets: transaction markers take offsets too.
        while any(self._consumer.position(tp) < end for tp, end in ends.items()):
            if time.monotonic() > deadline:
                raise TimeoutError(f"{topic} was not read to its end within {self._timeout:.0f} s")
            for tp, batch in self._consumer.poll(timeout_ms=500).items():
                records += [r for r in batch if r.offset < ends[tp]]
        return sorted(records, key=lambda r: (r.partition, r.offset))

    def _record_at(self, topic: str, partition: int, offset: int) -> Any | None:
        """The record at ``offset``, or None when that offset holds none (any more)."""
        tp = TopicPartition(topic, partition)
        if tp not in self._partitions(topic):
            return None
        first = self._consumer.beginning_offsets([tp])[tp]
        end = self._consumer.end_offsets([tp])[tp]
        if not first <= offset < end:
            return None
        self._consumer.assign([tp])
        self._consumer.seek(tp, offset)
        deadline = time.monotonic() + self._timeout
        while self._consumer.position(tp) < end:
            if time.monotonic() > deadline:
                raise TimeoutError(f"{topic}[{partition}]@{offset} was not read within {self._timeout:.0f} s")
            for record in self._consumer.poll(timeout_ms=500).get(tp, []):
                if record.offset >= offset:
                    # A later offset means this one was compacted away or was a marker.
                    return record if record.offset == offset else None
        return None


def _letter(record: Any) -> Letter:
    return Letter(
        position=Position(record.partition, record.offset),
        timestamp=record.timestamp,
        key=record.key,
        value=record.value,
        headers=tuple(record.headers or ()),
    )
