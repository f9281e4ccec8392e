"""Bad input never crashes an agent and is never lost: it waits in the dead-letter topic."""

from __future__ import annotations

import json
import uuid

import pytest

from streams.deadletter import AGENT, KIND, REASON, SOURCE_TOPIC
from streams.registry.client import RegistryClient, RegistryError
from streams.wire import frame
from tests.integration import faulty
from tests.integration.test_restaurant_flow import outcome, submit

pytestmark = pytest.mark.integration

APPLICATIONS = "gov.service_center.restaurant_application_submitted.v1"


def dead_letters_for(event_log, key: bytes, agent: str, timeout: float = 60):
    def found():
        return [d for d in event_log.dead_letters if d.key == key and d.headers[AGENT] == agent]

    event_log.wait_until(lambda: bool(found()), timeout)
    return found()


def test_corrupt_bytes_are_dead_lettered_with_the_reason(desk, event_log):
    key = f"corrupt-{uuid.uuid4()}".encode()
    desk.send_raw(APPLICATIONS, b"\x07 this is not avro", key=key)

    [letter] = dead_letters_for(event_log, key, "market_regulation")
    assert letter.value == b"\x07 this is not avro"  # the original bytes, untouched
    assert letter.headers[KIND] == "undecodable"
    assert "magic byte is 7" in letter.headers[REASON]
    assert letter.headers[SOURCE_TOPIC] == APPLICATIONS


def test_an_unknown_schema_id_is_dead_lettered(desk, event_log):
    key = f"unknown-{uuid.uuid4()}".encode()
    desk.send_raw(APPLICATIONS, frame(2_000_000_001, b"\x02\x04"), key=key)

    [letter] = dead_letters_for(event_log, key, "tracker")
    assert letter.headers[KIND] == "undecodable"
    assert "unknown schema id 2000000001" in letter.headers[REASON]


def test_a_handler_that_raises_is_retried_then_dead_lettered_and_the_agent_goes_on(desk, event_log):
    crashing = submit(desk, faulty.CRASH, 100.0)
    [letter] = dead_letters_for(event_log, crashing.case_id.encode(), "faulty")
    assert letter.headers[KIND] == "handler-failed"
    assert "failed 3 times" in letter.headers[REASON]
    assert "inspection backend returned 500" in letter.headers[REASON]

    # The other departments were not disturbed, and the faulty agent keeps consuming.
    assert outcome(event_log, crashing.case_id).type == "CaseCompleted"
    wrong = submit(desk, faulty.WRONG_OUTPUT, 100.0)
    [letter] = dead_letters_for(event_log, wrong.case_id.encode(), "faulty")
    assert letter.headers[KIND] == "invalid-output"
    assert "SignboardApproved" in letter.headers[REASON]


def test_an_incompatible_schema_is_refused_at_registration(connection):
    contract = connection.catalog["RestaurantApplicationSubmitted"]
    breaking = json.loads(json.dumps(contract.schema))
    breaking["fields"][1]["type"]["fields"].append({"name": "floor_count", "type": "int"})

    with pytest.raises(RegistryError) as refused:
        RegistryClient(connection.registry_url).register(contract.subject, json.dumps(breaking))
    assert refused.value.error_code == 409
    assert "floor_count" in str(refused.value)
