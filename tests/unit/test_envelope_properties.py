"""Properties of the envelope: ids derived from their cause, and the causal chain every event carries."""

from __future__ import annotations

import uuid

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from streams.codec import Codec
from streams.contracts import default_catalog
from streams.envelope import derived_event_id
from streams.events import NewEvent
from streams.publisher import Publisher
from streams.tracker import millis
from tests.unit.avro_strategies import records
from tests.unit.conftest import FakeRegistry

CATALOG = default_catalog()
REGISTRY = FakeRegistry(CATALOG)
CODEC = Codec(CATALOG, REGISTRY.ids, REGISTRY.schema_by_id)
CONTRACTS = sorted(CATALOG, key=lambda c: c.full_name)
MODERATE = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

cause_ids = st.uuids().map(str)
producers = st.text(min_size=1, max_size=20)
indexes = st.integers(0, 10_000)


@MODERATE
@given(cause_ids, producers, indexes)
def test_a_derived_id_is_a_uuid_that_depends_only_on_cause_producer_and_index(cause, producer, index):
    first = derived_event_id(cause, producer, index)
    assert derived_event_id(cause, producer, index) == first
    assert str(uuid.UUID(first)) == first


@MODERATE
@given(st.lists(st.tuples(cause_ids, producers, indexes), min_size=2, max_size=6, unique=True))
def test_different_causes_producers_or_indexes_never_share_an_id(triples):
    ids = [derived_event_id(*triple) for triple in triples]
    assert len(set(ids)) == len(ids)


def _payloads() -> st.SearchStrategy[tuple[str, dict]]:
    return st.sampled_from(CONTRACTS).flatmap(
        lambda contract: records(contract.schema).map(lambda record: (contract.name, record["payload"]))
    )


def wire_form(envelope: dict) -> dict:
    """An envelope as decoded, back in the form the publisher built it (a str id, ms since epoch)."""
    occurred_at = envelope["occurred_at"]
    return envelope | {"event_id": str(envelope["event_id"]), "occurred_at": millis(occurred_at)}


# Who emits each link of a chain: a department (or platform agent) and, optionally, a subject of
# its own (an enterprise's USCC once the licence is issued).
links = st.tuples(_payloads(), producers, st.none() | st.text(min_size=1, max_size=18), st.integers(0, 5))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(application=_payloads(), subject=st.text(min_size=1, max_size=18), chain=st.lists(links, max_size=4))
def test_every_event_of_a_chain_names_its_cause_and_shares_the_case_and_trace(application, subject, chain):
    desk = Publisher(CATALOG, CODEC, producer="service_center", version="1")
    kind, payload = application
    first = desk.build(NewEvent(kind, payload, subject), cause=None, case_id="C-PROPERTY")
    assert first.event.causation_id is None
    assert first.event.envelope["correlation_id"] == "C-PROPERTY"

    cause, events = first.event, [first.event]
    for (kind, payload), producer, own_subject, index in chain:
        publisher = Publisher(CATALOG, CODEC, producer=producer, version="1")
        record = publisher.build(NewEvent(kind, payload, own_subject), cause=cause, index=index)
        event = record.event

        assert event.causation_id == cause.event_id
        assert event.event_id == derived_event_id(cause.event_id, producer, index)
        assert event.case_id == "C-PROPERTY" and record.key == b"C-PROPERTY"
        assert event.envelope["correlation_id"] == "C-PROPERTY"
        assert event.subject == (own_subject or cause.subject)
        # One trace per case, a new span per event.
        assert event.envelope["trace"].split("-")[1] == cause.envelope["trace"].split("-")[1]
        assert event.envelope["trace"].split("-")[2] != cause.envelope["trace"].split("-")[2]
        # Handled again (a redelivery), the same cause yields the same id.
        assert publisher.build(
            NewEvent(kind, payload, own_subject), cause=cause, index=index
        ).event.event_id == (event.event_id)
        # And the envelope survives the wire as built.
        _, decoded = CODEC.decode(record.value)
        assert wire_form(decoded["envelope"]) == event.envelope
        cause = event
        events.append(event)

    assert len({e.event_id for e in events}) == len(events)
