"""What every process does before its first event: topics, registry, schema ids, codec.

Schema ids are resolved here, once; the hot path never calls the registry for our own contracts.
"""

from __future__ import annotations

import json
import logging
import time
from dataclasses import dataclass

from streams.broker import kafka_answers
from streams.codec import Codec
from streams.config import Settings
from streams.contracts import Catalog, default_catalog
from streams.registry.client import RegistryClient, RegistryError
from streams.registry.service import answers
from streams.retry import wait_for
from streams.security import kafka_options
from streams.topics import declared_topics, provision

log = logging.getLogger(__name__)


@dataclass
class Connection:
    settings: Settings
    catalog: Catalog
    codec: Codec
    registry_url: str


# How long a tool waits for the broker and the registry unless told otherwise (--timeout).
DEFAULT_WAIT_SECONDS = 60.0
REGISTRY_HINT = "start it with `onething broker up` or `onething registry serve`"


def registry_url(settings: Settings) -> str:
    """The configured registry, or the platform's own (`onething registry serve`) on this host."""
    return settings.registry_url or f"http://127.0.0.1:{settings.registry_port}"


def register_contracts(client: RegistryClient, catalog: Catalog, *, timeout: float = 60) -> dict[str, int]:
    """Register every revision in order (the registry checks compatibility); latest ids by name."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            ids = {}
            for contract in catalog:
                for revision in contract.revisions:
                    ids[contract.full_name] = client.register(contract.subject, json.dumps(revision))
            return ids
        except (OSError, RegistryError) as exc:
            if isinstance(exc, RegistryError) and exc.error_code not in (50001, 50002, 50003):
                raise
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)  # the registry of another process may still be starting


def connect(
    settings: Settings,
    *,
    catalog: Catalog | None = None,
    provision_topics: bool = True,
    wait_seconds: float = DEFAULT_WAIT_SECONDS,
) -> Connection:
    """Wait for the broker and the registry (naming them), provision topics, register contracts."""
    catalog = catalog or default_catalog()
    bootstrap = settings.bootstrap_servers
    security = kafka_options(settings)
    wait_for(f"Kafka at {bootstrap}", lambda: kafka_answers(bootstrap, **security), timeout=wait_seconds)
    # A worker under a department principal may not create topics: the operator provisions them.
    if provision_topics and settings.provision_topics:
        provision(bootstrap, declared_topics(catalog, partitions=settings.partitions), **security)
    url = registry_url(settings)
    wait_for(f"the schema registry at {url}", lambda: answers(url), timeout=wait_seconds, hint=REGISTRY_HINT)
    client = RegistryClient(url, token=settings.registry_token)
    ids = register_contracts(client, catalog)
    codec = Codec(catalog, ids, client.schema_by_id)
    return Connection(settings, catalog, codec, url)
