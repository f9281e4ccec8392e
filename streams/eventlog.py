"""Reads the event log back: every topic from offset zero, decoded, grouped by case.

Used by the demo, by tests that watch what the platform did, and later by replay and audit.
"""

from __future__ import annotations

import logging
import math
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

from kafka import KafkaConsumer, TopicPartition

from streams.case_window import CaseWindow
from streams.codec import DecodeError
from streams.config import Settings
from streams.deadletter import header_map
from streams.events import Event
from streams.processing import decode_event
from streams.security import kafka_options
from streams.startup import Connection
from streams.topics import DEAD_LETTER_TOPIC


@dataclass(frozen=True, slots=True)
class DeadLetterRecord:
    key: bytes | None
    value: bytes | None
    headers: dict[str, str]


class EventLog:
    """Follows the log on a background thread until closed; holds what ``window`` keeps (by
    default everything), and as many dead letters as its closed-case limit, the latest."""

    def __init__(self, connection: Connection, window: CaseWindow | None = None) -> None:
        self._codec = connection.codec
        topics = [c.topic for c in connection.catalog] + [DEAD_LETTER_TOPIC]
        self._consumer = KafkaConsumer(
            bootstrap_servers=connection.settings.bootstrap_servers,
            group_id=None,
            enable_auto_commit=False,
            **kafka_options(connection.settings),
        )
        partitions = [
            TopicPartition(topic, p)
            for topic in topics
            for p in sorted(self._consumer.partitions_for_topic(topic) or ())
        ]
        self._consumer.assign(partitions)
        self._consumer.seek_to_beginning(*partitions)
        # The log's end when opened: "caught up" means everything before it has been read.
        self._ends = self._consumer.end_offsets(partitions) if partitions else {}
        self._caught_up = False
        self._lock = threading.Condition()
        self._cases = window if window is not None else CaseWindow()
        self.dead_letters: deque[DeadLetterRecord] = deque(maxlen=self._cases.closed_limit)
        self.dead_letters_read = 0
        self._written: dict[TopicPartition, int] = {}  # the last record's timestamp read, per partition
        self._stopping = False
        self._thread = threading.Thread(target=self._follow, name="event-log", daemon=True)
        self._thread.start()

    def _follow(self) -> None:
        while not self._stopping:
            batches = self._consumer.poll(timeout_ms=200)
            if not batches and self._caught_up:
                continue
            behind = self._behind()
            with self._lock:
                for partition, records in batches.items():
                    for record in records:
                        self._take(record)
                    if records:
                        self._written[partition] = records[-1].timestamp
                if self._cases.closed_limit is not None:
                    self._cases.trim(self._read_past(behind))
                self._caught_up = not behind
                self._lock.notify_all()

    def _take(self, record) -> None:
        if record.topic == DEAD_LETTER_TOPIC:
            self.dead_letters.append(DeadLetterRecord(record.key, record.value, header_map(record.headers)))
            self.dead_letters_read += 1
            return
        try:
            event = decode_event(self._codec, record.value)
        except DecodeError:
            return  # the agents dead-letter these; the reader only shows what was understood
        self._cases.add(event, record.timestamp)

    def _behind(self) -> list[TopicPartition]:
        """The partitions not yet read to the end they had when the log was opened."""
        if self._caught_up:
            return []
        # Positions, not record offsets: transaction markers take offsets too.
        return [tp for tp, end in self._ends.items() if self._consumer.position(tp) < end]

    def _read_past(self, behind: list[TopicPartition]) -> float:
        """The record time every partition still ``behind`` its end has been read past (ms)."""
        return min((self._written.get(tp, -math.inf) for tp in behind), default=math.inf)

    @property
    def window(self) -> CaseWindow:
        return self._cases

    def version(self) -> tuple[int, int]:
        """Events and dead letters read so far: changes whenever something new was read."""
        with self._lock:
            return self._cases.read, self.dead_letters_read

    def letters(self) -> list[DeadLetterRecord]:
        """The dead letters held, oldest first (a copy: the reader goes on adding)."""
        with self._lock:
            return list(self.dead_letters)

    def events(self, case_id: str) -> list[Event]:
        with self._lock:
            return sorted(self._cases.get(case_id), key=lambda e: e.envelope["occurred_at"])

    def all_events(self) -> list[Event]:
        """Every event held, in the order they occurred."""
        with self._lock:
            every = list(self._cases)
        return sorted(every, key=lambda e: e.envelope["occurred_at"])

    def wait_caught_up(self, timeout: float = 60) -> bool:
        """Wait until everything in the log when it was opened has been read."""
        return self.wait_until(lambda: self._caught_up, timeout)

    def wait_until(self, predicate: Callable[[], bool], timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        with self._lock:
            while not predicate():
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return False
                self._lock.wait(min(remaining, 0.5))
            return True

    def wait_for(self, case_id: str, event_type: str, timeout: float = 60) -> Event | None:
        def found() -> Event | None:
            return next((e for e in self._cases.get(case_id) if e.type == event_type), None)

        self.wait_until(lambda: found() is not None, timeout)
        with self._lock:
            return found()

    def close(self) -> None:
        self._stopping = True
        self._thread.join(5)
        # Closing cancels a pending metadata refresh, which kafka-python logs as an ERROR.
        cluster_log = logging.getLogger("kafka.cluster")
        level = cluster_log.level
        cluster_log.setLevel(logging.CRITICAL)
        try:
            self._consumer.close()
        finally:
            cluster_log.setLevel(level)


def read_to_end(settings: Settings, *, timeout: float = 60) -> list[Event] | None:
    """Every event in the log now, in the order they occurred; None if not read to its end in time.

    A reader creates no topics: a topic nobody has written yet simply holds nothing.
    """
    from streams.startup import connect

    log = EventLog(connect(settings, provision_topics=False))
    try:
        return log.all_events() if log.wait_caught_up(timeout) else None
    finally:
        log.close()


def history(settings: Settings, case_id: str, *, timeout: float = 60) -> list[Event]:
    """One case's (or issue's) events from the log, oldest first."""
    events = read_to_end(settings, timeout=timeout)
    if events is None:
        raise TimeoutError(f"the event log was not read to its end within {timeout:.0f} s")
    return [e for e in events if e.case_id == case_id]
