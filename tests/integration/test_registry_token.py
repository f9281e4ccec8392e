"""With ONETHING_REGISTRY_TOKEN set, only holders of the token change the registry; anyone reads it."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator

import pytest

from streams.registry.background import BackgroundRegistry
from streams.registry.client import CONTENT_TYPE, RegistryClient, RegistryError
from streams.registry.server import SchemaRegistryServer

pytestmark = pytest.mark.integration

TOKEN = "registry-test-token"
SUBJECT = "gov.test.token_guarded.v1-value"
SCHEMA = json.dumps({"type": "record", "name": "Guarded", "namespace": "gov.test", "fields": []})


@pytest.fixture(scope="module")
def registry(broker) -> Iterator[BackgroundRegistry]:
    server = SchemaRegistryServer(
        bootstrap_servers=broker.bootstrap,
        port=0,
        topic=f"_onething_schemas_token_{uuid.uuid4().hex}",
        token=TOKEN,
    )
    running = BackgroundRegistry(server)
    running.start()
    yield running
    running.stop()


def request(url: str, method: str, body: dict | None = None, token: str | None = None) -> tuple[int, dict]:
    headers = {"Content-Type": CONTENT_TYPE}
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    data = json.dumps(body).encode() if body is not None else None
    try:
        with urllib.request.urlopen(urllib.request.Request(url, data, headers, method=method)) as reply:
            return reply.status, json.loads(reply.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("POST", f"/subjects/{SUBJECT}/versions", {"schema": SCHEMA}),
        ("PUT", "/config", {"compatibility": "NONE"}),
        ("PUT", f"/config/{SUBJECT}", {"compatibility": "NONE"}),
    ],
)
@pytest.mark.parametrize("token", [None, "a-guess"])
def test_writes_without_the_token_are_refused_confluent_style(registry, method, path, body, token):
    status, answer = request(registry.url + path, method, body, token)
    assert status == 401
    assert answer["error_code"] == 40101 and "token" in answer["message"]


def test_the_client_with_the_token_registers_and_anyone_reads(registry):
    with pytest.raises(RegistryError) as refused:
        RegistryClient(registry.url).register(SUBJECT, SCHEMA)
    assert (refused.value.status, refused.value.error_code) == (401, 40101)

    schema_id = RegistryClient(registry.url, token=TOKEN).register(SUBJECT, SCHEMA)

    reader = RegistryClient(registry.url)  # no token: reads stay open
    assert json.loads(reader.schema_by_id(schema_id))["name"] == "Guarded"
    assert reader.latest(SUBJECT)[0] == schema_id
    assert reader.is_compatible(SUBJECT, SCHEMA)  # a compatibility test changes nothing
    status, _ = request(f"{registry.url}/subjects/{SUBJECT}", "POST", {"schema": SCHEMA})  # lookup
    assert status == 200
