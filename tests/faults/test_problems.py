"""Each problem reported against the processing guarantees, reproduced on the real broker."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import time
import uuid

import fastavro
import pytest

from streams.deadletter import AGENT, KIND, REASON, SOURCE_SIZE, TRUNCATED
from streams.demo import restaurant_application
from streams.registry.client import RegistryClient
from streams.wire import frame
from tests.faults.ledger import audit, committed, first_unfinished, log_ends, outcomes_by_case
from tests.integration.conftest import worker_env
from tests.integration.test_dead_letters import dead_letters_for
from tests.integration.test_metrics import scrape
from tests.integration.test_restaurant_flow import EVERY_MATERIAL, outcome, submit

pytestmark = pytest.mark.faults

APPLICATIONS = "gov.service_center.restaurant_application_submitted.v1"


def application_record(desk, app):
    return desk.record("RestaurantApplicationSubmitted", app, subject=app["legal_representative"])


def test_1_an_exception_outside_any_handler_is_dead_lettered_not_skipped(desk, event_log, worker):
    # The careless department's condition compares a name with a number: TypeError, every time.
    cases = [submit(desk, f"条件出错餐馆{i}", 120.0) for i in range(7)]
    for case in cases:
        [letter] = dead_letters_for(event_log, case.case_id.encode(), "careless")
        assert letter.headers[KIND] == "agent-failed"
        assert "TypeError" in letter.headers[REASON]
        assert outcome(event_log, case.case_id).type == "CaseCompleted"  # the others went on


def test_2_a_record_near_the_size_limit_is_processed_or_dead_lettered_never_lost(
    desk, event_log, connection, settings, worker
):
    app = restaurant_application("大地址餐馆", 120.0, 6, "招牌", list(EVERY_MATERIAL))
    app["address"] = "宁" * 346_000  # about 1,038,000 bytes of UTF-8: under the broker's limit
    big = desk.submit("RestaurantApplicationSubmitted", app, subject=app["legal_representative"])
    # Every department that reads it either processes it or dead-letters it with the reason; a
    # letter too large to copy is a reference to the record.
    event_log.wait_until(lambda: len(event_log.events(big.case_id)) > 1, 60)
    deadline = time.monotonic() + 60
    while (books := audit(connection)).lost and time.monotonic() < deadline:
        time.sleep(1)
    assert books.lost == []
    letters = [d for d in event_log.dead_letters if d.key == big.case_id.encode()]
    for letter in letters:
        assert letter.headers[KIND] == "publish-failed" or letter.headers[AGENT] in ("careless", "faulty")
        if letter.headers.get(TRUNCATED):
            assert letter.value is None and int(letter.headers[SOURCE_SIZE]) > 1_000_000
    # The counter counts what was written.
    metrics = scrape(settings.metrics_port)
    counted = sum(v for (name, _), v in metrics.items() if name == "onething_dead_lettered_total")
    assert counted == len(event_log.dead_letters)


def test_4_a_redelivered_application_counts_once(desk, event_log, connection):
    app = restaurant_application("重复投递餐馆", 120.0, 6, "招牌", list(EVERY_MATERIAL))
    app["channel"] = "COUNTER"
    record = application_record(desk, app)
    for _ in range(2):  # a producer retry: the same record twice
        desk.send_raw(record.topic, record.value, key=record.key, headers=record.headers)
    done = outcome(event_log, record.event.case_id)
    assert done.type == "CaseCompleted"
    assert done["submissions"] == 1 and done["trips"] == 1


def test_9_an_envelope_that_disagrees_with_its_topic_or_key_is_dead_lettered(desk, event_log, connection):
    app = restaurant_application("错键餐馆", 120.0, 6, "招牌", list(EVERY_MATERIAL))
    case = desk.submit("RestaurantApplicationSubmitted", app, subject=app["legal_representative"])
    original = event_log.wait_for(case.case_id, "RestaurantApplicationSubmitted", 60)
    assert original is not None
    value = connection.codec.encode(
        "gov.service_center.RestaurantApplicationSubmitted",
        {"envelope": original.envelope, "payload": original.payload},
    )
    wrong_key = f"OTHER-{uuid.uuid4().hex[:8]}".encode()
    desk.send_raw(APPLICATIONS, value, key=wrong_key)
    other_topic = connection.catalog["BusinessLicenseIssued"].topic
    wrong_topic_key = case.case_id.encode()
    desk.send_raw(other_topic, value, key=wrong_topic_key)

    [letter, *_] = dead_letters_for(event_log, wrong_key, "market_regulation")
    assert letter.headers[KIND] == "mismatched-envelope" and "does not match" in letter.headers[REASON]
    event_log.wait_until(
        lambda: any(
            d.headers[KIND] == "mismatched-envelope" and d.headers["x-source-topic"] == other_topic
            for d in event_log.dead_letters
        ),
        60,
    )


def test_6_a_registry_outage_never_dead_letters_a_valid_record(desk, event_log, connection, registry):
    # A newer revision of the application, registered by another producer: the worker has never
    # seen its id and must ask the registry, which is down when the records arrive.
    contract = connection.catalog["RestaurantApplicationSubmitted"]
    revised = json.loads(json.dumps(contract.schema))
    payload_schema = revised["fields"][1]["type"]
    payload_schema["fields"].append({"name": "referral", "type": ["null", "string"], "default": None})
    new_id = RegistryClient(connection.registry_url).register(contract.subject, json.dumps(revised))
    parsed = fastavro.parse_schema(revised, named_schemas={})
    registry.kill()
    try:
        cases = []
        for i in range(5):
            app = restaurant_application(f"注册中心停机餐馆{i}", 120.0, 6, "招牌", list(EVERY_MATERIAL))
            record = application_record(desk, app)
            envelope = record.event.envelope
            buffer = io.BytesIO()
            fastavro.schemaless_writer(
                buffer, parsed, {"envelope": envelope, "payload": {**app, "referral": "街道"}}
            )
            desk.send_raw(record.topic, frame(new_id, buffer.getvalue()), key=record.key)
            cases.append(record.event.case_id)
        time.sleep(8)  # the worker keeps asking meanwhile
    finally:
        registry.start()
    for case_id in cases:
        assert outcome(event_log, case_id).type == "CaseCompleted"
    keys = {c.encode() for c in cases}
    assert [
        d.headers for d in event_log.dead_letters if d.key in keys and d.headers[AGENT] != "careless"
    ] == []


def test_7_a_graceful_stop_commits_what_was_finished(desk, event_log, settings, worker, connection):
    cases = [submit(desk, f"优雅停机餐馆{i}", 120.0) for i in range(150)]
    # Stop mid-stream, as a deploy does: some cases done, many in flight.
    event_log.wait_until(lambda: sum(1 for c in cases if len(event_log.events(c.case_id)) > 3) >= 20, 120)
    worker.stop()  # SIGTERM
    try:
        # faust keeps one offset per partition for all agents: the slowest agent sets it.
        # Where every agent is done, the log end; elsewhere the first record some agent is not.
        expected = {**log_ends(settings, APPLICATIONS), **first_unfinished(connection, APPLICATIONS)}
        assert committed(settings, "onething", APPLICATIONS) == expected
    finally:
        worker.start()
        worker.wait_ready()
    for case in cases:
        outcome(event_log, case.case_id)
    assert outcomes_by_case(connection, {c.case_id for c in cases}) == {c.case_id: 1 for c in cases}


def test_8_simulate_waits_for_a_broker_that_is_away(settings, broker, worker, event_log):
    # The broker is down for longer than the 30 s the publishers used to give it.
    broker.stop()
    simulate = subprocess.Popen(
        [sys.executable, "-m", "streams.cli", "simulate", "--flow", "open_restaurant", "--cases", "2"]
        + ["--timeout", "240", "--seed", "8"],
        env={**os.environ, **worker_env(settings)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        time.sleep(35)
        assert simulate.poll() is None, simulate.communicate()
    finally:
        broker.start()
    out, err = simulate.communicate(timeout=240)
    assert simulate.returncode == 0, err[-2000:]
    assert f"waiting for Kafka at {settings.bootstrap_servers}" in err
    summary = json.loads(out)
    assert summary["cases"]["started"] == 2 and summary["cases"]["open"] == 0, summary
