"""Properties of the case tracker over every declared flow: events may arrive in any order, and
redeliveries repeat some of them, yet each case ends the same way and says so once."""

from __future__ import annotations

from dataclasses import dataclass
from random import Random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from streams import discovery
from streams.codec import Codec
from streams.contracts import default_catalog
from streams.department import REJECTED
from streams.envelope import new_envelope
from streams.events import Event
from streams.flows import Flow, FlowMap
from streams.publisher import Publisher
from streams.tracker import COMPLETED, OPEN, REJECTED_STATUS, CaseTracker
from tests.unit.conftest import FakeRegistry

CATALOG = default_catalog()
REGISTRY = FakeRegistry(CATALOG)
FLOW_MAP = FlowMap(discovery.flows(), discovery.departments())
FLOWS = sorted(FLOW_MAP.flows.values(), key=lambda flow: flow.name)
OUTCOMES = ("CaseCompleted", "CaseRejected")
# What happened to each required matter; most are done, as in life (and shrinking prefers it).
DONE, REJECTED_MATTER, PENDING = "done", "rejected", "pending"


def new_tracker() -> CaseTracker:
    codec = Codec(CATALOG, REGISTRY.ids, REGISTRY.schema_by_id)
    return CaseTracker(FLOW_MAP, Publisher(CATALOG, codec, producer="tracker", version="1"))


TRACKER = new_tracker()


def event(event_type: str, payload: dict | None = None) -> Event:
    envelope = new_envelope(
        event_type=event_type, case_id="C-1", department="x", agent_version="1", subject="s"
    )
    return Event(event_type, payload or {}, envelope)


@dataclass(frozen=True)
class Case:
    flow: Flow
    fates: dict[str, str]  # required matter key -> done, rejected or pending
    events: list[Event]  # in the order they are declared: application, then each matter

    @property
    def expected(self) -> str:
        if REJECTED_MATTER in self.fates.values():
            return REJECTED_STATUS
        return COMPLETED if all(fate == DONE for fate in self.fates.values()) else OPEN


@st.composite
def cases(draw: st.DrawFn) -> Case:
    flow = draw(st.sampled_from(FLOWS))
    application = flow.sample(Random(draw(st.integers(0, 2**32 - 1))))
    required = FLOW_MAP.required_matters(flow, application)
    fate = st.sampled_from((DONE, DONE, DONE, REJECTED_MATTER, PENDING))
    fates = {key: draw(fate, label=key) for key in required}
    events = [event(flow.application, application)]
    for key, what in fates.items():
        matter = FLOW_MAP.matters[key]
        if what == DONE:
            events.append(event(matter.done))
        elif what == REJECTED_MATTER:
            reasons = {"department": matter.department, "matter": matter.name, "reasons": ["材料不全"]}
            events.append(event(REJECTED, reasons))
    return Case(flow, fates, events)


@st.composite
def deliveries(draw: st.DrawFn) -> tuple[Case, list[Event]]:
    """A case, and its events as a consumer may see them: shuffled, some delivered twice."""
    case = draw(cases())
    again = draw(st.lists(st.sampled_from(case.events), max_size=3))
    return case, draw(st.permutations(case.events + again))


def fold(events: list[Event]) -> tuple[str, list[Event]]:
    state, emitted = None, []
    for e in events:
        state, records = TRACKER.apply(state, e)
        emitted += [r.event for r in records]
    return state["status"], emitted


MODERATE = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@MODERATE
@given(deliveries())
def test_any_order_ends_the_case_as_the_declared_order_does(delivery):
    case, arrived = delivery
    assert fold(arrived)[0] == fold(case.events)[0]


@MODERATE
@given(deliveries())
def test_a_case_completes_iff_every_required_matter_is_done_and_none_rejected(delivery):
    case, arrived = delivery
    status, _ = fold(arrived)
    assert status == case.expected


@MODERATE
@given(deliveries())
def test_a_case_announces_its_end_at_most_once(delivery):
    case, arrived = delivery
    _, emitted = fold(arrived)
    outcomes = [e.type for e in emitted if e.type in OUTCOMES]
    expected = {COMPLETED: ["CaseCompleted"], REJECTED_STATUS: ["CaseRejected"], OPEN: []}
    assert outcomes == expected[case.expected]
    if outcomes == ["CaseCompleted"]:
        [completed] = [e for e in emitted if e.type == "CaseCompleted"]
        assert sorted(completed["matters"]) == sorted(case.fates)
        assert completed["flow"] == case.flow.name
