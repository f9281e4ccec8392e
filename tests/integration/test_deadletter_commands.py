"""`onething deadletters` on the real broker: find a dead letter, look into it, put it back."""

from __future__ import annotations

import json
import re
import uuid

import pytest
from kafka import KafkaConsumer, KafkaProducer, TopicPartition
from kafka.partitioner import murmur2

from streams.cli import main
from streams.deadletter import (
    HANDLER_FAILED,
    KIND,
    MISMATCHED_ENVELOPE,
    REPLAYED_FROM,
    UNDECODABLE,
    DeadLetter,
)
from streams.demo import EVERY_MATERIAL, restaurant_application
from streams.events import NewEvent
from streams.publisher import Publisher
from streams.service_desk import DESK, new_case_id
from streams.topics import DEAD_LETTER_TOPIC
from tests.integration.conftest import worker_env
from tests.integration.test_dead_letters import APPLICATIONS, dead_letters_for
from tests.integration.test_restaurant_flow import outcome

pytestmark = pytest.mark.integration


@pytest.fixture
def onething(settings, capsys, monkeypatch):
    """Run `onething ARGV` in-process against the test broker: exit code, stdout, stderr."""
    for name, value in worker_env(settings).items():
        monkeypatch.setenv(name, value)
    capsys.readouterr()

    def run(*argv: str) -> tuple[int, str, str]:
        code = main(list(argv))
        out, err = capsys.readouterr()
        return code, out, err

    return run


@pytest.fixture
def producer(settings):
    kafka = KafkaProducer(bootstrap_servers=settings.bootstrap_servers, acks="all")
    yield kafka
    kafka.close()


def application(connection):
    """A valid restaurant application, encoded as the service desk would publish it."""
    publisher = Publisher(connection.catalog, connection.codec, producer=DESK, version="1.0.0")
    app = restaurant_application("阿娘面馆", 120.0, 4, None, list(EVERY_MATERIAL))
    new = NewEvent("RestaurantApplicationSubmitted", app, app["legal_representative"])
    return publisher.build(new, cause=None, case_id=new_case_id())


def post_letter(producer, record, *, agent, partition, offset, truncated=False) -> str:
    """Write a dead letter as an agent would; return its position."""
    headers = DeadLetter(HANDLER_FAILED, "inspection backend returned 500").headers(
        agent=agent,
        topic=record.topic,
        partition=partition,
        offset=offset,
        size=len(record.value),
        truncated=truncated,
    )
    value = None if truncated else record.value
    sent = producer.send(DEAD_LETTER_TOPIC, key=record.key, value=value, headers=headers).get(30)
    return f"{sent.partition}:{sent.offset}"


def read_record(settings, topic: str, partition: int, offset: int):
    consumer = KafkaConsumer(bootstrap_servers=settings.bootstrap_servers, group_id=None)
    try:
        tp = TopicPartition(topic, partition)
        consumer.assign([tp])
        consumer.seek(tp, offset)
        for _ in range(20):
            for record in consumer.poll(timeout_ms=500).get(tp, []):
                if record.offset == offset:
                    return record
        raise AssertionError(f"nothing at {topic}[{partition}]@{offset}")
    finally:
        consumer.close()


def replay_target(out: str) -> tuple[str, int, int]:
    """Where `replay` says the copy landed: ``… to TOPIC[P]@O``."""
    topic, partition, offset = re.search(r" to ([\w.]+)\[(\d+)\]@(\d+)$", out, re.M).groups()
    return topic, int(partition), int(offset)


def test_a_corrupt_record_is_listed_and_shown(desk, event_log, onething):
    key = f"corrupt-{uuid.uuid4()}"
    desk.send_raw(APPLICATIONS, b"\x07 this is not avro", key=key.encode())
    dead_letters_for(event_log, key.encode(), "market_regulation")

    code, out, _ = onething("deadletters", "list", "--json", "--agent", "market_regulation")
    assert code == 0
    data = json.loads(out)
    [mine] = [letter for letter in data["letters"] if letter["key"] == key]
    assert mine["kind"] == UNDECODABLE and mine["agent"] == "market_regulation"
    assert mine["source"]["topic"] == APPLICATIONS
    assert mine["size"] == 18 and not mine["truncated"]
    assert {"agent": "market_regulation", "kind": UNDECODABLE} in [
        {k: c[k] for k in ("agent", "kind")} for c in data["counts"]
    ]

    code, out, _ = onething("deadletters", "list", "--kind", UNDECODABLE)
    assert code == 0
    assert any(line.startswith(mine["position"] + " ") and key in line for line in out.splitlines())

    code, out, _ = onething("deadletters", "show", mine["position"])
    assert code == 0
    assert "x-dead-letter-reason: magic byte is 7, expected 0" in out
    assert f"key: {key}" in out
    assert "not an event (magic byte is 7, expected 0); first 18 of 18 bytes:" in out
    assert "|. this is not av|" in out


def test_a_letter_that_can_be_processed_now_is_replayed_and_its_case_completes(
    connection, event_log, producer, onething
):
    record = application(connection)
    # The partition the desk would have used: a case lives on one partition of every topic.
    partition = (murmur2(record.key) & 0x7FFFFFFF) % connection.settings.partitions
    agent = f"replay-test-{uuid.uuid4().hex[:8]}"
    position = post_letter(producer, record, agent=agent, partition=partition, offset=0)

    code, out, _ = onething("deadletters", "show", position)
    assert code == 0
    assert "event: gov.service_center.RestaurantApplicationSubmitted" in out
    assert '"business_name": "阿娘面馆"' in out

    code, out, _ = onething("deadletters", "replay", "--agent", agent, "--dry-run")
    assert (code, out.splitlines()) == (
        0,
        [
            f"would replay {position} ({HANDLER_FAILED}, {agent}, "
            f"case {record.event.case_id}) to {APPLICATIONS}[{partition}]@0"
        ],
    )

    # Named twice and selected by agent too: replayed once.
    code, out, err = onething("deadletters", "replay", position, position, "--agent", agent, "--yes")
    assert (code, err) == (0, "")
    assert out.count("replayed ") == 1 and out.endswith("1 of 1 replayed\n")
    assert outcome(event_log, record.event.case_id).type == "CaseCompleted"

    topic, copy_partition, offset = replay_target(out)
    copy = read_record(connection.settings, topic, copy_partition, offset)
    assert (copy.key, copy.value, copy.partition) == (record.key, record.value, partition)
    assert (REPLAYED_FROM, position.encode()) in copy.headers

    code, out, _ = onething("deadletters", "replay", position, "--yes")
    assert code == 0
    assert out.startswith(f"skipped {position}: replayed before to {topic}[{copy_partition}]@{offset}")
    code, out, _ = onething("deadletters", "replay", position, "--again", "--dry-run")
    assert out.startswith(f"would replay {position}")

    code, out, _ = onething("deadletters", "list", "--json", "--agent", agent)
    [listed] = json.loads(out)["letters"]
    assert listed["replayed"]["offset"] == offset


def test_a_replay_restores_the_headers_the_letter_could_not_keep(connection, event_log, producer, onething):
    record = application(connection)
    # Keyed by something else than its case: every agent reading the topic refuses it.
    wrong_key = f"not-the-case-{uuid.uuid4().hex[:8]}".encode()
    producer.send(record.topic, key=wrong_key, value=record.value, headers=record.headers).get(30)
    [letter] = dead_letters_for(event_log, wrong_key, "tracker")
    assert letter.headers[KIND] == MISMATCHED_ENVELOPE

    code, out, _ = onething(
        "deadletters", "list", "--json", "--agent", "tracker", "--kind", MISMATCHED_ENVELOPE
    )
    [position] = [x["position"] for x in json.loads(out)["letters"] if x["key"] == wrong_key.decode()]
    code, out, err = onething("deadletters", "replay", position, "--yes")
    assert (code, err) == (0, "")
    copy = read_record(connection.settings, *replay_target(out))
    assert (copy.key, copy.value) == (wrong_key, record.value)
    assert copy.headers == [*record.headers, (REPLAYED_FROM, position.encode())]


def test_a_truncated_reference_is_replayed_from_its_source(connection, producer, onething):
    record = application(connection)
    on_source = producer.send(record.topic, key=record.key, value=record.value, headers=record.headers).get(
        30
    )
    agent = f"replay-test-{uuid.uuid4().hex[:8]}"
    reference = post_letter(
        producer, record, agent=agent, partition=on_source.partition, offset=on_source.offset, truncated=True
    )

    code, out, _ = onething("deadletters", "show", reference)
    assert code == 0
    assert "x-dead-letter-truncated: true" in out
    assert f"reference to {APPLICATIONS}[{on_source.partition}]@{on_source.offset}" in out
    assert "event: gov.service_center.RestaurantApplicationSubmitted" in out  # read from the source

    code, out, err = onething("deadletters", "replay", reference, "--yes")
    assert (code, err) == (0, "")
    copy = read_record(connection.settings, *replay_target(out))
    assert (copy.key, copy.value) == (record.key, record.value)
    # The original's own headers came back with it, plus where the replay came from.
    assert copy.headers == [*record.headers, (REPLAYED_FROM, reference.encode())]


def test_a_reference_whose_original_is_gone_is_reported(connection, producer, onething):
    record = application(connection)
    agent = f"replay-test-{uuid.uuid4().hex[:8]}"
    # An offset far past the source's end: nothing there, as after retention removed it.
    reference = post_letter(producer, record, agent=agent, partition=0, offset=10**9, truncated=True)

    code, out, err = onething("deadletters", "replay", "--agent", agent, "--yes")
    assert code == 1
    assert err.startswith(f"cannot replay {reference}: the original of dead letter {reference} is gone")
    assert out.endswith("0 of 1 replayed\n")
    code, out, _ = onething("deadletters", "show", reference)
    assert code == 0 and "is gone from" in out.splitlines()[-1]


def test_a_letter_that_does_not_exist_is_one_line(onething):
    assert onething("deadletters", "show", "0:999999999") == (
        2,
        "",
        "onething: no dead letter at 0:999999999\n",
    )
