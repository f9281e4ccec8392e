"""A department's reaction to one event: matching matters, retries with back-off, outputs.

Free of Kafka and faust so it can be tested alone; the runtime feeds it decoded events.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Sequence
from typing import Any

from streams import metrics
from streams.codec import Codec
from streams.department import REJECTED, Department, Matter
from streams.events import Event, NewEvent
from streams.publisher import InvalidOutput, OutgoingRecord, Publisher


class HandlerFailed(RuntimeError):
    """A handler kept raising after every retry; the message is the dead-letter reason."""


def decode_event(codec: Codec, value: bytes | None) -> Event:
    """Bytes from a topic to an Event; raises streams.codec.DecodeError."""
    contract, record = codec.decode(value)
    envelope: dict[str, Any] = record["envelope"]
    envelope["event_id"] = str(envelope["event_id"])
    return Event(contract.name, record["payload"], envelope, contract.topic)


class DepartmentProcessor:
    def __init__(
        self,
        department: Department,
        publisher: Publisher,
        *,
        attempts: int = 3,
        backoff_seconds: float = 0.2,
    ) -> None:
        self.department = department
        self.publisher = publisher
        self.attempts = attempts
        self.backoff_seconds = backoff_seconds
        self._by_trigger: dict[str, list[Matter]] = {}
        for matter in department.matters:
            self._by_trigger.setdefault(matter.trigger, []).append(matter)

    async def process(self, event: Event) -> list[OutgoingRecord]:
        """Run every matter this event triggers; raise HandlerFailed or InvalidOutput."""
        records: list[OutgoingRecord] = []
        for matter in self._by_trigger.get(event.type, ()):
            if matter.when is not None and not matter.when.holds(event.payload):
                continue
            outputs = await self._run(matter, event)
            for new in outputs:
                if new.type not in matter.emits:
                    raise InvalidOutput(
                        f"{matter.key} emitted {new.type}, but declares only {', '.join(matter.emits)}"
                    )
                if new.type == REJECTED:
                    new = NewEvent(
                        REJECTED,
                        {"department": self.department.name, "matter": matter.name, **new.payload},
                        new.subject,
                    )
                records.append(self.publisher.build(new, cause=event, index=len(records)))
        return records

    async def _run(self, matter: Matter, event: Event) -> Sequence[NewEvent]:
        agent = self.department.name
        for attempt in range(1, self.attempts + 1):
            started = time.perf_counter()
            try:
                return list(await matter.handler(event))
            except Exception as exc:
                metrics.HANDLER_RETRIES.labels(agent, matter.name).inc()
                if attempt == self.attempts:
                    raise HandlerFailed(
                        f"{matter.key} failed {attempt} times; last error {type(exc).__name__}: {exc}"
                    ) from exc
                await asyncio.sleep(self.backoff_seconds * 2 ** (attempt - 1))
            finally:
                metrics.HANDLER_SECONDS.labels(agent, matter.name).observe(time.perf_counter() - started)
        raise AssertionError("unreachable")
