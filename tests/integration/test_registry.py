"""The embedded registry against the real broker, spoken to by Confluent's own client and serdes."""

from __future__ import annotations

import asyncio
import json
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import AbstractContextManager, contextmanager

import pytest
from confluent_kafka.schema_registry import Schema, SchemaRegistryClient
from confluent_kafka.schema_registry.avro import AvroDeserializer, AvroSerializer
from confluent_kafka.schema_registry.error import SchemaRegistryError
from confluent_kafka.serialization import MessageField, SerializationContext

from streams.broker import LocalBroker
from streams.registry.background import BackgroundRegistry
from streams.registry.client import CONTENT_TYPE, RegistryClient, RegistryError
from streams.registry.server import SchemaRegistryServer
from streams.wire import unframe

pytestmark = pytest.mark.integration

SUBJECT = "onething.test.PermitRequested-value"

V1 = {
    "type": "record",
    "name": "PermitRequested",
    "namespace": "onething.test",
    "fields": [
        {"name": "case_id", "type": "string"},
        {"name": "floors", "type": "int"},
    ],
}
# Adds a field with a default: BACKWARD compatible.
V2 = {**V1, "fields": [*V1["fields"], {"name": "note", "type": "string", "default": ""}]}
# Adds a field without a default: old data cannot be read.
BREAKING = {**V1, "fields": [*V1["fields"], {"name": "premises_area_m2", "type": "double"}]}

Serve = Callable[[], AbstractContextManager[BackgroundRegistry]]


@pytest.fixture
def bootstrap(broker: LocalBroker) -> str:
    """The session's broker (the registry keeps its schemas in a topic there)."""
    return broker.bootstrap


@pytest.fixture
def topic(bootstrap: str) -> Iterator[str]:
    """A schema topic of this test's own, removed afterwards."""
    name = f"_onething_schemas_test_{uuid.uuid4().hex}"
    yield name
    from kafka.admin import KafkaAdminClient

    admin = KafkaAdminClient(bootstrap_servers=bootstrap)
    try:
        admin.delete_topics([name])
    except Exception:  # the test may have failed before creating it
        pass
    finally:
        admin.close()


@pytest.fixture
def serve(topic: str, bootstrap: str) -> Iterator[Serve]:
    """Start registry servers on the test's topic, each on its own thread and event loop.

    Confluent's client is synchronous, so the server cannot share the test's thread.
    """
    running: list[BackgroundRegistry] = []

    @contextmanager
    def start() -> Iterator[BackgroundRegistry]:
        server = SchemaRegistryServer(bootstrap_servers=bootstrap, port=0, topic=topic)
        registry = BackgroundRegistry(server)
        registry.start()
        running.append(registry)
        try:
            yield registry
        finally:
            running.remove(registry)
            registry.stop()

    yield start
    for registry in running:  # a test that failed inside a with-block already stopped its own
        registry.stop()


@pytest.fixture
def registry(serve: Serve) -> Iterator[BackgroundRegistry]:
    with serve() as running:
        yield running


def confluent(registry: BackgroundRegistry) -> SchemaRegistryClient:
    return SchemaRegistryClient({"url": registry.url})


def avro(schema: dict) -> Schema:
    return Schema(json.dumps(schema), "AVRO")


def test_confluent_client_registers_and_reads_back(registry):
    client = confluent(registry)
    schema_id = client.register_schema(SUBJECT, avro(V1))
    assert 0 < schema_id < 2**31
    assert client.register_schema(SUBJECT, avro(V1)) == schema_id  # cached by the client...
    assert confluent(registry).register_schema(SUBJECT, avro(V1)) == schema_id  # ...and server

    fetched = confluent(registry).get_schema(schema_id)
    assert json.loads(fetched.schema_str) == V1
    assert client.get_subjects() == [SUBJECT]
    assert client.get_versions(SUBJECT) == [1]

    v2_id = client.register_schema(SUBJECT, avro(V2))
    assert v2_id != schema_id
    assert client.get_versions(SUBJECT) == [1, 2]
    latest = client.get_latest_version(SUBJECT)
    assert (latest.version, latest.schema_id, latest.subject) == (2, v2_id, SUBJECT)
    assert json.loads(latest.schema.schema_str) == V2
    first = client.get_version(SUBJECT, 1)
    assert (first.version, first.schema_id) == (1, schema_id)

    found = client.lookup_schema(SUBJECT, avro(V1))
    assert (found.version, found.schema_id) == (1, schema_id)
    assert [(v.subject, v.version) for v in client.get_schema_versions(v2_id)] == [(SUBJECT, 2)]


def test_compatibility_tests_and_config(registry):
    client = confluent(registry)
    client.register_schema(SUBJECT, avro(V1))

    assert client.get_compatibility() == "BACKWARD"
    assert client.test_compatibility(SUBJECT, avro(V2)) is True
    assert client.test_compatibility(SUBJECT, avro(BREAKING)) is False
    assert client.test_compatibility(SUBJECT, avro(BREAKING), version=1) is False

    # Removing a field is BACKWARD compatible but not FORWARD.
    dropped = {**V1, "fields": V1["fields"][:1]}
    assert client.test_compatibility(SUBJECT, avro(dropped)) is True
    assert client.set_compatibility(SUBJECT, "FORWARD") == {"compatibility": "FORWARD"}
    assert client.get_config(SUBJECT).compatibility_level.value == "FORWARD"
    assert client.test_compatibility(SUBJECT, avro(dropped)) is False
    assert client.get_compatibility() == "BACKWARD"  # the global level is untouched

    assert client.set_compatibility(level="FULL") == {"compatibility": "FULL"}
    assert client.get_compatibility() == "FULL"
    with pytest.raises(SchemaRegistryError) as invalid:
        client.set_compatibility(level="SIDEWAYS")
    assert invalid.value.error_code == 42203


def test_incompatible_registration_is_refused_with_409_naming_the_field(registry):
    client = confluent(registry)
    client.register_schema(SUBJECT, avro(V1))
    with pytest.raises(SchemaRegistryError) as refused:
        client.register_schema(SUBJECT, avro(BREAKING))
    assert refused.value.http_status_code == 409
    assert refused.value.error_code == 409
    assert "premises_area_m2" in refused.value.error_message
    assert "/fields/2" in refused.value.error_message
    assert client.get_versions(SUBJECT) == [1]


def test_errors_have_confluent_codes(registry):
    client = confluent(registry)
    client.register_schema(SUBJECT, avro(V1))
    cases = [
        (lambda: client.get_versions("no-such-subject"), 404, 40401),
        (lambda: client.get_version(SUBJECT, 7), 404, 40402),
        (lambda: client.get_schema(12345), 404, 40403),
        (lambda: client.lookup_schema(SUBJECT, avro(V2)), 404, 40403),
        (lambda: client.register_schema(SUBJECT, Schema('{"type": "nope"}', "AVRO")), 422, 42201),
    ]
    for call, status, code in cases:
        with pytest.raises(SchemaRegistryError) as failed:
            call()
        assert (failed.value.http_status_code, failed.value.error_code) == (status, code)


def test_avro_serializer_and_deserializer_round_trip(registry):
    client = confluent(registry)
    context = SerializationContext("onething.test.permits", MessageField.VALUE)
    serializer = AvroSerializer(client, json.dumps(V1))
    record = {"case_id": "case-1", "floors": 3}

    framed = serializer(record, context)

    schema_id, _ = unframe(framed)
    assert schema_id == client.get_latest_version("onething.test.permits-value").schema_id
    # A fresh client, so the writer schema really comes from the registry by id.
    assert AvroDeserializer(confluent(registry))(framed, context) == record


def test_our_client_speaks_to_the_server(registry):
    ours = RegistryClient(registry.url)
    schema_id = ours.register(SUBJECT, json.dumps(V1))
    assert json.loads(ours.schema_by_id(schema_id)) == V1
    assert ours.latest(SUBJECT)[:2] == (schema_id, 1)
    assert ours.is_compatible(SUBJECT, json.dumps(V2))
    assert not ours.is_compatible(SUBJECT, json.dumps(BREAKING))
    assert ours.is_compatible("nothing-here-yet", json.dumps(BREAKING))
    with pytest.raises(RegistryError) as refused:
        ours.register(SUBJECT, json.dumps(BREAKING))
    assert refused.value.error_code == 409 and "premises_area_m2" in refused.value.message
    with pytest.raises(RegistryError) as missing:
        ours.latest("no-such-subject")
    assert (missing.value.error_code, missing.value.status) == (40401, 404)


def test_a_new_server_on_the_same_topic_answers_the_same(serve):
    with serve() as first:
        client = confluent(first)
        ids = [client.register_schema(SUBJECT, avro(v)) for v in (V1, V2)]
        client.set_compatibility(SUBJECT, "FULL")

    with serve() as second:
        client = confluent(second)
        assert client.get_subjects() == [SUBJECT]
        assert client.get_versions(SUBJECT) == [1, 2]
        assert [client.get_version(SUBJECT, v).schema_id for v in (1, 2)] == ids
        assert json.loads(client.get_schema(ids[0]).schema_str) == V1
        assert client.get_compatibility(SUBJECT) == "FULL"
        assert client.register_schema(SUBJECT, avro(V2)) == ids[1]
        assert client.get_versions(SUBJECT) == [1, 2]


def test_two_servers_on_one_topic_agree(serve):
    with serve() as one, serve() as two:
        a, b = confluent(one), confluent(two)
        assert a.register_schema(SUBJECT, avro(V1)) == b.register_schema(SUBJECT, avro(V1))
        assert a.get_versions(SUBJECT) == b.get_versions(SUBJECT) == [1]

        # Each sees the other's writes at once: B assigns version 2 after A's version 1.
        v2_id = b.register_schema(SUBJECT, avro(V2))
        assert a.get_latest_version(SUBJECT).schema_id == v2_id
        with pytest.raises(SchemaRegistryError):
            a.register_schema(SUBJECT, avro(BREAKING))


def test_concurrent_registrations_on_two_servers_lose_nothing(serve):
    schemas = [
        {**V1, "fields": [*V1["fields"], {"name": f"extra_{n}", "type": "int", "default": n}]}
        for n in range(12)
    ]
    with serve() as one, serve() as two:
        confluent(one).set_compatibility(SUBJECT, "NONE")  # any order must be acceptable

        def register(n: int) -> int:
            server = one if n % 2 else two
            return RegistryClient(server.url).register(SUBJECT, json.dumps(schemas[n]))

        with ThreadPoolExecutor(max_workers=len(schemas)) as pool:
            ids = list(pool.map(register, range(len(schemas))))

        assert len(set(ids)) == len(schemas)
        views = [
            {v: c.get_version(SUBJECT, v).schema_id for v in c.get_versions(SUBJECT)}
            for c in (confluent(one), confluent(two))
        ]
        assert views[0] == views[1]
        assert sorted(views[0]) == list(range(1, len(schemas) + 1))
        assert sorted(views[0].values()) == sorted(ids)

    with serve() as later:
        client = confluent(later)
        assert {v: client.get_version(SUBJECT, v).schema_id for v in views[0]} == views[0]


def test_answers_are_confluent_json_even_for_unknown_routes(registry):
    with urllib.request.urlopen(f"{registry.url}/subjects") as response:
        assert response.headers["Content-Type"].startswith(CONTENT_TYPE)
        assert json.load(response) == []
    with pytest.raises(urllib.error.HTTPError) as missing:
        urllib.request.urlopen(f"{registry.url}/no/such/route")
    assert missing.value.code == 404
    assert json.load(missing.value) == {"error_code": 404, "message": "HTTP 404 Not Found"}


def test_a_taken_port_fails_start_with_oserror(registry, topic, bootstrap):
    # Start-up code relies on this to fall back to the registry another process already serves.
    port = int(registry.url.rsplit(":", 1)[1])
    clash = SchemaRegistryServer(bootstrap_servers=bootstrap, port=port, topic=topic)
    with pytest.raises(OSError):
        asyncio.run(clash.start())
    assert confluent(registry).get_subjects() == []  # the first one is unharmed
