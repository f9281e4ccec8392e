"""一窗受理: where an application enters the platform, from the portal or a counter.

The desk stamps the envelope like any producer; a case id is minted per application.
"""

from __future__ import annotations

import uuid
from typing import Any

from kafka import KafkaProducer

from streams.events import Event, NewEvent
from streams.publisher import Publisher
from streams.startup import Connection

DESK = "service_center"


def new_case_id(prefix: str = "C") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:12].upper()}"


class ServiceDesk:
    def __init__(self, connection: Connection, *, version: str = "1.0.0") -> None:
        self._publisher = Publisher(
            connection.catalog,
            connection.codec,
            producer=DESK,
            version=version,
            clock=connection.settings.clock(),
        )
        self._producer = KafkaProducer(
            bootstrap_servers=connection.settings.bootstrap_servers, acks="all", linger_ms=5
        )

    def submit(
        self, event_type: str, payload: dict[str, Any], *, subject: str, case_id: str | None = None
    ) -> Event:
        """Publish one application and wait until the broker has it; returns the event as sent."""
        record = self._publisher.build(
            NewEvent(event_type, payload, subject), cause=None, case_id=case_id or new_case_id()
        )
        self._producer.send(record.topic, key=record.key, value=record.value, headers=record.headers).get(30)
        return record.event

    def send_raw(self, topic: str, value: bytes, *, key: bytes = b"raw") -> None:
        """Publish bytes as they are: how a broken or foreign producer looks to the platform."""
        self._producer.send(topic, key=key, value=value).get(30)

    def close(self) -> None:
        self._producer.close()
