"""A department's reaction to one event: matching matters, retries with back-off, outputs.

Free of Kafka and faust so it can be tested alone; the runtime feeds it decoded events.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, MutableMapping, Sequence
from typing import Any

from streams import metrics
from streams.codec import Codec
from streams.department import REJECTED, Department, Matter
from streams.events import Event, NewEvent
from streams.joins import arrive, join_key
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
        joins: MutableMapping[str, object] | None = None,
    ) -> None:
        self.department = department
        self.publisher = publisher
        self.attempts = attempts
        self.backoff_seconds = backoff_seconds
        # Joined matters' state by join_key: a faust table in the worker, a dict elsewhere.
        self.joins: MutableMapping[str, object] = {} if joins is None else joins
        self._by_trigger: dict[str, list[Matter]] = {}
        for matter in department.matters:
            for trigger in matter.triggers:
                self._by_trigger.setdefault(trigger, []).append(matter)

    async def process(self, event: Event) -> list[OutgoingRecord]:
        """Run every matter this event triggers; raise HandlerFailed or InvalidOutput."""
        records: list[OutgoingRecord] = []
        for matter in self._by_trigger.get(event.type, ()):
            cause, settle = self._cause(matter, event)
            if cause is None:
                settle()
                continue
            # For a join, the condition reads the merged payload.
            if matter.when is None or matter.when.holds(cause.payload):
                outputs = await self._run(matter, cause)
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
                    records.append(self.publisher.build(new, cause=cause, index=len(records)))
            # A join is marked fired only once its handler succeeded: a failure raised above, so the
            # replayed last trigger can still complete it.
            settle()
        return records

    def _cause(self, matter: Matter, event: Event) -> tuple[Event | None, Callable[[], None]]:
        """What the handler sees and how to record the arrival: the event itself, or for a joined
        matter the merged event once its last trigger is in (None before)."""
        if not matter.is_join:
            return event, lambda: None
        key = join_key(event.case_id, matter.key)
        state, merged = arrive(self.joins.get(key), event, matter.triggers)  # type: ignore[arg-type]

        def settle() -> None:
            self.joins[key] = state

        return merged, settle

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
