"""A department's reaction to one event: matching matters, retries with back-off, outputs.

Free of Kafka and faust so it can be tested alone; the runtime feeds it decoded events.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import MutableMapping, Sequence
from typing import Any

from streams import metrics
from streams.codec import Codec
from streams.contracts import Contract
from streams.days import occurred_on
from streams.department import REJECTED, Department, Matter, reject
from streams.events import Event, NewEvent
from streams.handling import RELEASED, held_outputs, hold, hold_key
from streams.joins import arrive, join_key
from streams.prereview import PreReview
from streams.publisher import InvalidOutput, OutgoingRecord, Publisher
from streams.rules import problems_of
from streams.step import Step


class HandlerFailed(RuntimeError):
    """A handler kept raising after every retry; the message is the dead-letter reason."""


def decode_event(codec: Codec, value: bytes | None) -> Event:
    """Bytes from a topic to an Event; raises streams.codec.DecodeError."""
    return to_event(*codec.decode(value))


def to_event(contract: Contract, record: dict[str, Any]) -> Event:
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
        pre_review: PreReview | None = None,
        holds: MutableMapping[str, Any] | None = None,
    ) -> None:
        self.department = department
        self.publisher = publisher
        self.attempts = attempts
        self.backoff_seconds = backoff_seconds
        # Joined matters' state by join_key: a faust table in the worker, a dict elsewhere.
        self.joins: MutableMapping[str, object] = {} if joins is None else joins
        # Set, an application is checked against the whole flow's rules before anything is issued.
        self.pre_review = pre_review
        # Set (handling times on), matters with a typical handling time hold their outputs here
        # until HandlingTimeElapsed releases them (streams/handling.py).
        self.holds = holds
        self._by_trigger: dict[str, list[Matter]] = {}
        for matter in department.matters:
            for trigger in matter.triggers:
                self._by_trigger.setdefault(trigger, []).append(matter)

    async def process(self, event: Event) -> Step:
        """Run every matter this event triggers; raise HandlerFailed or InvalidOutput.

        Join state is part of the step: written only once every matter of the event succeeded and
        the outputs are acknowledged, so a dead-lettered and replayed trigger can still fire.
        """
        if event.type == RELEASED and self.holds is not None:
            return self._release(self.holds, event)
        step = Step()
        # Ids derive from each output's place among all of the event's outputs, held or not.
        index = 0
        for matter in self._by_trigger.get(event.type, ()):
            cause = self._cause(matter, event, step)
            if cause is None:
                continue
            # For a join, the condition reads the merged payload.
            if matter.when is None or matter.when.holds(cause.payload):
                outputs = await self._decide(matter, cause)
                holds = self._held_by(matter)
                built: list[tuple[int, NewEvent]] = []
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
                    # Built even when held: an output that does not fit fails now, not at release.
                    record = self.publisher.build(new, cause=cause, index=index)
                    built.append((index, new))
                    index += 1
                    if holds is None:
                        step.records.append(record)
                if built and holds is not None:
                    step.write(
                        holds,
                        hold_key(cause, matter.key),
                        hold(matter.key, cause, built, matter.typical_working_days),
                    )
        return step

    def _held_by(self, matter: Matter) -> MutableMapping[str, Any] | None:
        """Where the matter's outputs wait for its handling time, if they do."""
        return self.holds if matter.typical_working_days > 0 else None

    def _release(self, holds: MutableMapping[str, Any], event: Event) -> Step:
        """A hold of this department is due: publish its outputs and forget it."""
        step = Step()
        key = event["hold"]
        if event["department"] != self.department.name or (held := holds.get(key)) is None:
            return step  # another department's, or released already
        step.records.extend(held_outputs(self.publisher, held))
        step.delete(holds, key)
        return step

    async def handle(self, event: Event) -> list[OutgoingRecord]:
        """Process and settle at once, for callers with no broker to wait for (tools, tests)."""
        step = await self.process(event)
        step.settle()
        return step.records

    def _cause(self, matter: Matter, event: Event, step: Step) -> Event | None:
        """What the handler sees: the event itself, or for a joined matter the merged event once its
        last trigger is in (None before); the join's new state goes into ``step``."""
        if not matter.is_join:
            return event
        key = join_key(event.case_id, matter.key)
        state, merged = arrive(self.joins.get(key), event, matter.triggers)  # type: ignore[arg-type]
        # Once fired, its trigger ids only drop late copies, for as long as processed ids do.
        step.write(self.joins, key, state, finished=state["fired"] is not None)
        return merged

    async def _decide(self, matter: Matter, event: Event) -> Sequence[NewEvent]:
        """The matter's declared rules first (the handler runs only if they hold), then the
        flow-wide pre-review when the event is an application."""
        if matter.rules and (broken := problems_of(matter.rules, event.payload, occurred_on(event))):
            outputs: Sequence[NewEvent] = [reject(*broken)]
        else:
            outputs = await self._run(matter, event)
        if self.pre_review is not None:
            outputs = self.pre_review.settle(matter, event, outputs)
        return outputs

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
