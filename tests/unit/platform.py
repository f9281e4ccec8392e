"""Every discovered department and the case tracker without Kafka: an application goes in, every
event of its case comes out, each encoded and decoded as a consumer would see it.

    case = await platform().submit(newborn.flow, newborn.application())
    assert case.outcome.type == "CaseCompleted"
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from functools import cache
from typing import Any

from streams import discovery
from streams.codec import Codec
from streams.contracts import default_catalog
from streams.events import Event, NewEvent
from streams.flows import Flow, FlowMap
from streams.prereview import PreReview
from streams.processing import DepartmentProcessor, decode_event
from streams.publisher import OutgoingRecord, Publisher
from streams.seals import Keyring
from streams.simulate import applicant_of
from streams.tracker import CaseTracker
from tests.unit.conftest import FakeRegistry

OUTCOMES = ("CaseCompleted", "CaseRejected")


@dataclass(frozen=True)
class Case:
    events: list[Event]

    @property
    def types(self) -> list[str]:
        return [e.type for e in self.events]

    @property
    def outcome(self) -> Event:
        [outcome] = [e for e in self.events if e.type in OUTCOMES]
        return outcome

    def one(self, event_type: str) -> Event:
        [event] = [e for e in self.events if e.type == event_type]
        return event

    def rejections(self) -> list[Event]:
        return [e for e in self.events if e.type == "MatterRejected"]


class InMemoryPlatform:
    def __init__(self) -> None:
        catalog = default_catalog()
        self.codec = Codec(catalog, FakeRegistry(catalog).ids, lambda schema_id: "")
        self.departments = discovery.departments()
        self.flows = {flow.name: flow for flow in discovery.flows()}

        def publisher(producer: str) -> Publisher:
            # Certificates are sealed with the public demo keys.
            return Publisher(catalog, self.codec, producer=producer, version="test", seals=Keyring())

        self.desk = publisher("service_center")
        flow_map = FlowMap(list(self.flows.values()), self.departments)
        pre_review = PreReview(flow_map)
        self.processors = [
            DepartmentProcessor(d, publisher(d.name), backoff_seconds=0, pre_review=pre_review)
            for d in self.departments
        ]
        self.tracker = CaseTracker(flow_map, publisher("tracker"))

    def _delivered(self, record: OutgoingRecord) -> Event:
        return decode_event(self.codec, record.value)

    async def submit(self, flow: Flow, application: dict[str, Any], *, case_id: str = "C-1") -> Case:
        """Publish the application and deliver every resulting event to everyone, in causal order."""
        record = self.desk.build(
            NewEvent(flow.application, application, applicant_of(application)), cause=None, case_id=case_id
        )
        return await self.follow(self._delivered(record))

    async def follow(self, application: Event) -> Case:
        """Deliver an application already published (by any desk) and everything it causes."""
        events, pending, state = [], deque([application]), None
        # Tests reuse case ids; a case runs to its end here, so joins start afresh with it.
        for processor in self.processors:
            processor.joins = {}
        while pending:
            event = pending.popleft()
            events.append(event)
            state, outcomes = self.tracker.apply(state, event)
            for processor in self.processors:
                outcomes += await processor.handle(event)
            pending.extend(self._delivered(r) for r in outcomes)
        return Case(events)


@cache
def platform() -> InMemoryPlatform:
    return InMemoryPlatform()


async def apply(flow_module: Any, **overrides: Any) -> Case:
    """A flow module's complete, eligible application with ``overrides``, run to its outcome."""
    return await platform().submit(flow_module.flow, flow_module.application(**overrides))


def rejection_of(case: Case, matter: str) -> Event:
    """The one MatterRejected of ``matter`` (department.matter) in the case."""
    [event] = [e for e in case.rejections() if f"{e['department']}.{e['matter']}" == matter]
    return event
