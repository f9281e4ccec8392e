"""The local Kafka broker for real: it starts, stores events, and keeps them across a restart."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from kafka import KafkaAdminClient, KafkaConsumer, KafkaProducer, TopicPartition

from streams.broker import LocalBroker
from streams.config import Settings

pytestmark = pytest.mark.integration

PORT, CONTROLLER_PORT = 29192, 29193
TOPIC = "broker-test.events"


@pytest.fixture(scope="module")
def broker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalBroker]:
    # Jars come from the shared cache (downloaded once); data lives in a throwaway dir.
    broker = LocalBroker(
        home=tmp_path_factory.mktemp("broker"),
        port=PORT,
        controller_port=CONTROLLER_PORT,
        cache_dir=Settings.from_env().broker_dir,
    )
    assert broker.start() is True
    yield broker
    broker.wipe()


def cluster_id(broker: LocalBroker) -> str:
    meta = (broker.log_dir / "meta.properties").read_text().splitlines()
    return next(line.split("=", 1)[1] for line in meta if line.startswith("cluster.id="))


def read_all(bootstrap: str, expected: int, timeout: float = 30) -> list[tuple[bytes, bytes]]:
    consumer = KafkaConsumer(bootstrap_servers=bootstrap, group_id=None, enable_auto_commit=False)
    try:
        partition = TopicPartition(TOPIC, 0)
        consumer.assign([partition])
        consumer.seek_to_beginning(partition)
        records: list[tuple[bytes, bytes]] = []
        deadline = time.monotonic() + timeout
        while len(records) < expected and time.monotonic() < deadline:
            for batch in consumer.poll(timeout_ms=500).values():
                records += [(r.key, r.value) for r in batch]
        return records
    finally:
        consumer.close()


def test_status_and_a_second_start(broker: LocalBroker) -> None:
    status = broker.status()
    assert status.running and status.pid
    assert status.bootstrap == f"127.0.0.1:{PORT}"
    assert broker.pid_file.read_text().strip() == str(status.pid)

    assert broker.start() is False  # already running: nothing happens
    assert broker.status().pid == status.pid


def test_events_survive_a_restart(broker: LocalBroker) -> None:
    admin = KafkaAdminClient(bootstrap_servers=broker.bootstrap)
    try:
        admin.create_topics({TOPIC: {"num_partitions": 1, "replication_factor": 1}}, wait_for_metadata=True)
    finally:
        admin.close()

    producer = KafkaProducer(bootstrap_servers=broker.bootstrap, acks="all")
    sent = [(f"case-{n}".encode(), f"事件 {n}".encode()) for n in range(3)]
    try:
        for key, value in sent:
            producer.send(TOPIC, key=key, value=value).get(timeout=10)
    finally:
        producer.close()

    before = cluster_id(broker)
    old_pid = broker.stop()
    assert old_pid is not None
    assert not broker.status().running
    assert not broker.pid_file.exists()
    assert broker.stop() is None  # stopping twice is harmless

    assert broker.start() is True
    assert broker.status().running
    assert broker.status().pid != old_pid
    assert cluster_id(broker) == before  # same log dir, never reformatted
    assert read_all(broker.bootstrap, expected=3) == sent
