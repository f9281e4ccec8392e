"""Departments and flows in memory, for a plug-in's unit tests: no broker, no registry.

    from streams.testing import Harness

    hr = Harness([department])                       # one department (or several)
    [granted] = hr.give("RetirementApplicationSubmitted", {"person": "ct_…", …})
    assert granted.type == "PensionGranted"

    case = Harness.of_flow(flow).start(flow.sample(Random(1)))   # a flow's departments and the tracker
    assert case.outcome.type == "CaseCompleted"

Every event goes through what the runtime does with it (the department's DepartmentProcessor, the
envelope, Avro encoding against the contracts, decoding as a consumer would), so an undeclared event
or a payload that does not fit its schema fails here as it would on Kafka. ``give``/``start`` are
for plain tests; inside a running event loop, await ``deliver``/``run``.
"""

from __future__ import annotations

import asyncio
import itertools
from collections import deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from streams.codec import Codec
from streams.contracts import Catalog, default_catalog
from streams.department import REJECTED, Department, DepartmentExtension
from streams.events import Event, NewEvent
from streams.flows import Flow, FlowMap
from streams.prereview import PreReview
from streams.processing import DepartmentProcessor, decode_event
from streams.publisher import OutgoingRecord, Publisher
from streams.seals import Keyring
from streams.service_desk import DESK
from streams.tracker import CASE_OUTCOMES, CaseTracker

SUBJECT = "ct_test_subject"


@dataclass(frozen=True)
class Case:
    """Every event of one case, in the order it was delivered."""

    events: list[Event]

    @property
    def types(self) -> list[str]:
        return [e.type for e in self.events]

    @property
    def outcome(self) -> Event:
        """The tracker's CaseCompleted or CaseRejected (there must be exactly one)."""
        [outcome] = [e for e in self.events if e.type in CASE_OUTCOMES]
        return outcome

    def one(self, event_type: str) -> Event:
        [event] = [e for e in self.events if e.type == event_type]
        return event

    def rejections(self) -> list[Event]:
        return [e for e in self.events if e.type == REJECTED]


def memory_codec(catalog: Catalog) -> Codec:
    """A codec with registry ids handed out by position, as a fresh registry would."""
    counter = itertools.count(1)
    ids = {c.full_name: next(counter) for c in catalog}
    return Codec(catalog, ids, lambda schema_id: "")


class Harness:
    """Departments (and, given flows, the case tracker) exchanging events in memory."""

    def __init__(
        self,
        departments: Iterable[Department | DepartmentExtension],
        flows: Sequence[Flow] = (),
        *,
        catalog: Catalog | None = None,
    ) -> None:
        self.catalog = catalog or default_catalog()
        self.codec = memory_codec(self.catalog)
        self.departments = [_as_department(d) for d in departments]
        flow_map = FlowMap(list(flows), self.departments) if flows else None
        # As in `onething run`: each flow's lead pre-reviews applications against every rule.
        pre_review = PreReview(flow_map) if flow_map else None
        self.processors = [
            DepartmentProcessor(d, self.publisher(d.name), backoff_seconds=0, pre_review=pre_review)
            for d in self.departments
        ]
        self.flows = {flow.name: flow for flow in flows}
        self.tracker = CaseTracker(flow_map, self.publisher("tracker")) if flow_map else None

    @classmethod
    def of_flow(cls, flow: Flow, *, catalog: Catalog | None = None) -> Harness:
        """The flow with every discovered department it needs (plug-ins included) and the tracker."""
        from streams import discovery

        return cls(discovery.departments(), [flow], catalog=catalog)

    def publisher(self, producer: str) -> Publisher:
        # Certificates are sealed with the public demo keys.
        return Publisher(self.catalog, self.codec, producer=producer, version="test", seals=Keyring())

    def published(self, event_type: str, payload: dict[str, Any], **options: Any) -> Event:
        """``payload`` as a consumer would see it once ``producer`` (default: the service desk)
        published it: with its envelope, encoded and decoded against its contract."""
        producer = options.pop("producer", DESK)
        subject = options.pop("subject", SUBJECT)
        case_id = options.pop("case_id", "C-1")
        if options:
            raise TypeError(f"unknown options {', '.join(options)}")
        record = self.publisher(producer).build(
            NewEvent(event_type, payload, subject), cause=None, case_id=case_id
        )
        return self.decoded(record)

    def decoded(self, record: OutgoingRecord) -> Event:
        return decode_event(self.codec, record.value)

    async def deliver(self, event: Event) -> list[Event]:
        """What the departments emit in answer to ``event`` (one hop), as consumers would see it."""
        return [self.decoded(r) for p in self.processors for r in await p.handle(event)]

    async def run(self, first: Event) -> Case:
        """Deliver ``first``, then everything that follows, to every department and the tracker."""
        for processor in self.processors:
            processor.joins = {}  # a case runs to its end here, so joins start afresh with it
        events, pending, state = [], deque([first]), None
        while pending:
            event = pending.popleft()
            events.append(event)
            outcomes: list[OutgoingRecord] = []
            if self.tracker:
                state, outcomes = self.tracker.apply(state, event)
            for processor in self.processors:
                outcomes += await processor.handle(event)
            pending.extend(self.decoded(r) for r in outcomes)
        return Case(events)

    def give(self, event_type: str, payload: dict[str, Any], **options: Any) -> list[Event]:
        """Publish one event (options as for ``published``) and return what the departments emit."""
        return asyncio.run(self.deliver(self.published(event_type, payload, **options)))

    def start(self, payload: dict[str, Any], *, flow: str | None = None, case_id: str = "C-1") -> Case:
        """Start a case of ``flow`` (the only one, by default) and run it to its end."""
        chosen = self._flow(flow)
        first = self.published(
            chosen.application,
            payload,
            producer=chosen.started_by or DESK,
            subject=_subject_of(payload),
            case_id=case_id,
        )
        return asyncio.run(self.run(first))

    def _flow(self, name: str | None) -> Flow:
        if name:
            return self.flows[name]
        if len(self.flows) != 1:
            raise ValueError(f"name one of the flows: {', '.join(self.flows) or 'none given'}")
        return next(iter(self.flows.values()))


def _as_department(declared: Department | DepartmentExtension) -> Department:
    """An extension tested alone runs as the department it extends, with only its own matters."""
    if isinstance(declared, Department):
        return declared
    return Department(declared.name, declared.name).merged(declared)


def _subject_of(payload: dict[str, Any]) -> str:
    from streams.simulate import SimulationError, applicant_of

    try:
        return applicant_of(payload)
    except SimulationError:
        return SUBJECT
