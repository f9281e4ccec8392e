"""A broker that authenticates and authorizes: each principal reaches only what its declarations grant.

The module runs its own SASL_SSL broker (SCRAM-SHA-512, StandardAuthorizer, nothing allowed unless
granted), so the session's plaintext broker is left alone. The operator (the super user ``admin``)
provisions the topics, serves the registry and applies `onething acls --apply`; everyone else
connects as a department, or as the service desk.
"""

from __future__ import annotations

import asyncio
import logging
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from aiokafka import AIOKafkaProducer
from aiokafka.errors import KafkaConnectionError
from kafka import KafkaConsumer, KafkaProducer, TopicPartition
from kafka.errors import TopicAuthorizationFailedError

from streams.config import Settings
from streams.demo import EVERY_MATERIAL, restaurant_application
from streams.processing import decode_event
from streams.registry.service import RegistryProcess
from streams.seals import generate
from streams.secure_broker import ADMIN, SecuredBroker
from streams.security import aiokafka_options, kafka_options
from streams.service_desk import ServiceDesk
from streams.startup import Connection, connect
from streams.worker_process import WorkerProcess
from tests.integration.conftest import free_port

pytestmark = pytest.mark.integration

USERS = {
    ADMIN: "admin-secret",
    "service_center": "desk-secret",
    "market_regulation": "market-secret",
    "tax": "tax-secret",
}
APPLICATION = "RestaurantApplicationSubmitted"
LICENCE = "BusinessLicenseIssued"


@pytest.fixture(scope="module")
def secured(tmp_path_factory) -> Iterator[SecuredBroker]:
    broker = SecuredBroker(
        users=USERS,
        home=tmp_path_factory.mktemp("secured-broker"),
        port=free_port(),
        controller_port=free_port(),
        cache_dir=Settings().broker_dir,
    )
    broker.start()
    yield broker
    broker.stop()


def as_user(settings: Settings, user: str) -> Settings:
    return replace(settings, sasl_username=user, sasl_password=USERS[user])


@pytest.fixture(scope="module")
def operator(secured: SecuredBroker, tmp_path_factory) -> Settings:
    return Settings(
        bootstrap_servers=secured.bootstrap,
        registry_port=free_port(),
        home=tmp_path_factory.mktemp("secured-home"),
        security_protocol="SASL_SSL",
        sasl_mechanism="SCRAM-SHA-512",
        sasl_username=ADMIN,
        sasl_password=USERS[ADMIN],
        ssl_cafile=str(secured.tls.ca),
    )


@pytest.fixture(scope="module")
def platform(secured: SecuredBroker, operator: Settings) -> Iterator[Connection]:
    """What the operator does once: topics, the registry, the ACLs; then the contracts' ids."""
    registry = RegistryProcess(operator, env=secured.env(ADMIN))
    registry.start()
    connection = connect(operator)  # provisions every topic and registers the contracts
    applied = subprocess.run(
        [sys.executable, "-m", "streams.cli", "acls", "--apply"],
        env={**os.environ, **secured.env(ADMIN)},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert applied.returncode == 0, applied.stderr[-1000:]
    assert "created" in applied.stderr
    try:
        yield connection
    finally:
        registry.stop()


def consumer(settings: Settings, topic: str) -> KafkaConsumer:
    reader = KafkaConsumer(
        bootstrap_servers=settings.bootstrap_servers,
        group_id=None,
        enable_auto_commit=False,
        consumer_timeout_ms=2000,
        **kafka_options(settings),
    )
    partitions = [TopicPartition(topic, p) for p in sorted(reader.partitions_for_topic(topic) or ())]
    reader.assign(partitions)
    reader.seek_to_beginning(*partitions)
    return reader


def find(settings: Settings, connection: Connection, event_type: str, case_id: str, timeout: float = 30):
    """The event of this type and case, read as ``settings``' principal; None if it never comes."""
    reader = consumer(settings, connection.catalog[event_type].topic)
    try:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for record in reader:
                if record.key == case_id.encode():
                    return decode_event(connection.codec, record.value)
        return None
    finally:
        reader.close()


@pytest.fixture(scope="module")
def application(platform: Connection, operator: Settings):
    """One restaurant application, submitted by the service desk principal."""
    desk = ServiceDesk(replace(platform, settings=as_user(operator, "service_center")))
    try:
        payload = restaurant_application("安全测试餐馆", 120.0, 4, None, EVERY_MATERIAL)
        return desk.submit(APPLICATION, payload, subject="91330203MA2AAAAA0X")
    finally:
        desk.close()


def test_the_desk_publishes_over_sasl_ssl_and_the_department_reads_its_trigger(
    application, platform, operator
):
    read = find(as_user(operator, "market_regulation"), platform, APPLICATION, application.case_id)
    assert read is not None
    assert read.event_id == application.event_id
    assert read["business_name"] == "安全测试餐馆"


def test_a_department_cannot_write_another_departments_topic_but_writes_its_own(platform, operator):
    tax = KafkaProducer(
        bootstrap_servers=operator.bootstrap_servers,
        max_block_ms=10_000,
        **kafka_options(as_user(operator, "tax")),
    )
    try:
        licence_topic = platform.catalog[LICENCE].topic
        with pytest.raises(TopicAuthorizationFailedError, match="gov.market_regulation"):
            tax.send(licence_topic, key=b"forged", value=b"a licence tax may not issue").get(10)
        own = tax.send(platform.catalog["TaxpayerRegistered"].topic, key=b"k", value=b"v").get(10)
        assert own.offset >= 0
    finally:
        tax.close()


def test_a_department_cannot_even_see_topics_it_is_not_triggered_by(platform, operator):
    topic = platform.catalog[APPLICATION].topic

    def partitions_seen_by(user: str) -> set[int] | None:
        reader = KafkaConsumer(
            bootstrap_servers=operator.bootstrap_servers, **kafka_options(as_user(operator, user))
        )
        try:
            return reader.partitions_for_topic(topic)
        finally:
            reader.close()

    assert partitions_seen_by("market_regulation") == set(range(operator.partitions))
    assert not partitions_seen_by("tax")  # not authorized: the broker does not even show its partitions


async def _start_producer(settings: Settings) -> None:
    producer = AIOKafkaProducer(
        bootstrap_servers=settings.bootstrap_servers, request_timeout_ms=5000, **aiokafka_options(settings)
    )
    try:
        await producer.start()
    finally:
        await producer.stop()


def test_a_wrong_password_is_refused(operator, caplog):
    wrong = replace(as_user(operator, "tax"), sasl_password="guessed")
    with caplog.at_level(logging.ERROR, logger="aiokafka"), pytest.raises(KafkaConnectionError):
        asyncio.run(_start_producer(wrong))
    assert "invalid credentials" in caplog.text


def test_an_unauthenticated_client_is_refused(operator):
    anonymous = Settings(bootstrap_servers=operator.bootstrap_servers)  # PLAINTEXT, no user
    with pytest.raises(KafkaConnectionError):
        asyncio.run(_start_producer(anonymous))


def test_a_department_agent_runs_under_its_own_principal(secured, platform, operator, application):
    home = Path(operator.home)
    env = {
        **secured.env("market_regulation"),
        "ONETHING_HOME": str(home),
        "ONETHING_REGISTRY_PORT": str(operator.registry_port),
        "ONETHING_METRICS_PORT": "0",
        "ONETHING_DASHBOARD_PORT": "0",
        # Topics are the operator's: a department may not create or reconfigure them.
        "ONETHING_PROVISION_TOPICS": "0",
        "ONETHING_TOKEN_KEY": "secured-test-token-key",
        "ONETHING_SEAL_KEY_DIR": str(generate(home / "seal-keys", ["market_regulation"]).parent),
    }
    worker = WorkerProcess(
        log_path=home / "market-worker.log",
        env=env,
        args=("--departments", "market_regulation", "--no-tracker"),
    )
    worker.start()
    try:
        worker.wait_ready(60)
        licence = find(operator, platform, LICENCE, application.case_id, timeout=30)
    finally:
        worker.stop()
    assert licence is not None, (home / "market-worker.log").read_text()[-3000:]
    assert licence.producer == "market_regulation"
    assert licence.causation_id == application.event_id
