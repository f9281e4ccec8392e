"""一窗受理: where an application enters the platform, from the portal or a counter.

The desk stamps the envelope like any producer; a case id is minted per application.
"""

from __future__ import annotations

import uuid
from typing import Any

from kafka import KafkaProducer
from kafka.errors import KafkaTimeoutError

from streams.delivery import BROKER_RECORD_LIMIT
from streams.events import Event, NewEvent
from streams.publisher import OutgoingRecord, Publisher
from streams.retry import wait_for
from streams.security import kafka_options
from streams.startup import Connection

DESK = "service_center"
# One attempt's wait for the broker's acknowledgement; wait_for retries until the desk's timeout.
SEND_WAIT_SECONDS = 10.0


def new_case_id(prefix: str = "C") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:12].upper()}"


class ServiceDesk:
    """Publishes applications; waits out a broker that is away for up to ``timeout`` seconds."""

    def __init__(self, connection: Connection, *, version: str = "1.0.0", timeout: float = 60.0) -> None:
        self.timeout = timeout
        # Applications are stamped on this clock; simulated applicants date themselves by it too.
        self.clock = connection.settings.clock()
        self._bootstrap = connection.settings.bootstrap_servers
        self._connection = connection
        self._version = version
        self._publishers: dict[str, Publisher] = {}
        self._producer = KafkaProducer(
            bootstrap_servers=connection.settings.bootstrap_servers,
            acks="all",
            linger_ms=5,
            # The broker may restart under us: keep asking for metadata instead of failing at once.
            max_block_ms=int(min(timeout, 30) * 1000),
            max_request_size=BROKER_RECORD_LIMIT,
            **kafka_options(connection.settings),
        )

    def submit(
        self,
        event_type: str,
        payload: dict[str, Any],
        *,
        subject: str,
        case_id: str | None = None,
        producer: str = DESK,
        cause: Event | None = None,
        index: int = 0,
    ) -> Event:
        """Publish one application and wait until the broker has it; returns the event as sent.

        ``producer``: the department whose fact starts an event-started flow (a simulation plays it).
        ``cause``: the event this application follows from (a bundle's request, another city's
        handover); the application then shares its correlation id and trace.
        """
        record = self.record(
            event_type, payload, subject=subject, case_id=case_id, producer=producer, cause=cause, index=index
        )
        self._send(record.topic, record.key, record.value, record.headers)
        return record.event

    def record(
        self,
        event_type: str,
        payload: dict[str, Any],
        *,
        subject: str,
        case_id: str | None = None,
        producer: str = DESK,
        cause: Event | None = None,
        index: int = 0,
    ) -> OutgoingRecord:
        """The record ``submit`` would publish, built and not sent."""
        new = NewEvent(event_type, payload, subject)
        return self._publisher(producer).build(
            new, cause=cause, case_id=case_id or new_case_id(), index=index
        )

    def _publisher(self, producer: str) -> Publisher:
        if producer not in self._publishers:
            self._publishers[producer] = Publisher(
                self._connection.catalog,
                self._connection.codec,
                producer=producer,
                version=self._version,
                clock=self.clock,
            )
        return self._publishers[producer]

    def send_raw(
        self, topic: str, value: bytes | None, *, key: bytes | None = b"raw", headers: list | None = None
    ) -> None:
        """Publish bytes as they are: how a broken or foreign producer looks to the platform."""
        self._send(topic, key, value, headers or [])

    def _send(self, topic: str, key: bytes | None, value: bytes | None, headers: list) -> None:
        """Send and wait for the broker's acknowledgement, retrying until ``timeout``.

        A retry may write a record twice; it carries the same event id, and consumers drop the copy.
        """

        def taken() -> bool:
            try:
                self._producer.send(topic, key=key, value=value, headers=headers).get(SEND_WAIT_SECONDS)
                return True
            except KafkaTimeoutError:
                return False

        wait_for(f"Kafka at {self._bootstrap}", taken, timeout=self.timeout)

    def close(self) -> None:
        self._producer.close()
