"""Before a handler sees a record: decode it, check it belongs where it was found, wait out the registry."""

from __future__ import annotations

import json

import pytest

from streams.codec import Codec
from streams.deadletter import MISMATCHED_ENVELOPE, UNDECODABLE
from streams.intake import UNKNOWN_ID_ATTEMPTS, Expectation, Refused, admit
from streams.wire import frame
from tests.unit.test_codec import license_record

LICENCE = "gov.market_regulation.BusinessLicenseIssued"


def licence_topic(catalog) -> str:
    return catalog["BusinessLicenseIssued"].topic


async def no_sleep(seconds: float) -> None:
    return None


async def admitted(codec, catalog, *, topic=None, key=None, value=None, record=None):
    topic = topic or licence_topic(catalog)
    record = record or license_record()
    value = value if value is not None else codec.encode(LICENCE, record)
    key = key if key is not None else record["envelope"]["case_id"].encode()
    expect = Expectation.of(catalog, [topic])
    return await admit(codec, topic, key, value, expect=expect, sleep=no_sleep)


async def test_a_well_formed_record_is_admitted(codec, catalog):
    event = await admitted(codec, catalog)
    assert event.type == "BusinessLicenseIssued"


async def test_a_record_of_another_type_on_a_topic_is_refused(codec, catalog):
    other = catalog["RestaurantApplicationSubmitted"].topic
    with pytest.raises(Refused) as refused:
        await admitted(codec, catalog, topic=other)
    assert refused.value.letter.kind == MISMATCHED_ENVELOPE
    assert f"a {LICENCE} record on {other}" in refused.value.letter.reason


async def test_an_envelope_whose_event_type_lies_is_refused(codec, catalog):
    record = license_record()
    record["envelope"]["event_type"] = "gov.market_regulation.SomethingElse"
    with pytest.raises(Refused) as refused:
        await admitted(codec, catalog, record=record)
    assert refused.value.letter.kind == MISMATCHED_ENVELOPE
    assert "SomethingElse" in refused.value.letter.reason


async def test_a_key_that_is_not_the_case_id_is_refused(codec, catalog):
    with pytest.raises(Refused) as refused:
        await admitted(codec, catalog, key=b"C-SOMEONE-ELSE")
    assert refused.value.letter.kind == MISMATCHED_ENVELOPE
    assert "C-SOMEONE-ELSE" in refused.value.letter.reason


async def test_an_id_the_registry_does_not_know_is_undecodable_after_a_few_asks(codec, catalog):
    with pytest.raises(Refused) as refused:
        await admitted(codec, catalog, value=frame(999, b"\x00"))
    assert refused.value.letter.kind == UNDECODABLE
    assert "unknown schema id 999" in refused.value.letter.reason


async def test_a_registry_outage_is_waited_out_and_the_record_admitted(catalog, registry):
    # The record was written with a revision this process never registered: the registry must be
    # asked, and it is down for the first five asks.
    real = Codec(catalog, registry.ids, registry.schema_by_id)
    contract = catalog["BusinessLicenseIssued"]
    registry.extra[4242] = json.dumps(contract.schema)
    asks = []

    def flaky(schema_id: int) -> str:
        asks.append(schema_id)
        if len(asks) <= 5:
            raise ConnectionRefusedError(111, "Connection refused")
        return registry.schema_by_id(schema_id)

    codec = Codec(catalog, registry.ids, flaky)
    body = real.encode(LICENCE, license_record())[5:]
    event = await admitted(codec, catalog, value=frame(4242, body))
    assert event.type == "BusinessLicenseIssued" and len(asks) == 6


async def test_a_burst_of_records_with_one_unknown_id_asks_the_registry_once(catalog, registry):
    asks = []

    def counting(schema_id: int) -> str:
        asks.append(schema_id)
        return registry.schema_by_id(schema_id)

    codec = Codec(catalog, registry.ids, counting)
    for _ in range(5):
        with pytest.raises(Refused, match="unknown schema id 999"):
            await admitted(codec, catalog, value=frame(999, b"\x00"))
    assert len(asks) == UNKNOWN_ID_ATTEMPTS
