"""What every process does before its first event: topics, registry, schema ids, codec.

Schema ids are resolved here, once; the hot path never calls the registry for our own contracts.
"""

from __future__ import annotations

import json
import logging
import socket
import time
from dataclasses import dataclass

from streams.codec import Codec
from streams.config import Settings
from streams.contracts import Catalog, default_catalog
from streams.registry.client import RegistryClient, RegistryError
from streams.topics import declared_topics, provision

log = logging.getLogger(__name__)


@dataclass
class Connection:
    settings: Settings
    catalog: Catalog
    codec: Codec
    registry_url: str
    embedded_registry: object | None = None  # a BackgroundRegistry this process serves, if any

    def close(self) -> None:
        if self.embedded_registry is not None:
            self.embedded_registry.stop()


def _port_is_free(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) != 0


def _ensure_registry(settings: Settings) -> tuple[str, object | None]:
    """The configured registry, or the embedded one: served here unless this host already serves it."""
    if settings.registry_url:
        return settings.registry_url, None
    url = f"http://127.0.0.1:{settings.registry_port}"
    if not _port_is_free(settings.registry_port):
        return url, None
    from streams.registry.background import BackgroundRegistry
    from streams.registry.server import SchemaRegistryServer

    embedded = BackgroundRegistry(
        SchemaRegistryServer(bootstrap_servers=settings.bootstrap_servers, port=settings.registry_port)
    )
    try:
        embedded.start()
    except OSError:  # another process bound the port between our probe and now
        return url, None
    return embedded.url, embedded


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
    settings: Settings, *, catalog: Catalog | None = None, provision_topics: bool = True
) -> Connection:
    catalog = catalog or default_catalog()
    if provision_topics:
        provision(settings.bootstrap_servers, declared_topics(catalog, partitions=settings.partitions))
    url, embedded = _ensure_registry(settings)
    client = RegistryClient(url)
    ids = register_contracts(client, catalog)
    codec = Codec(catalog, ids, client.schema_by_id)
    return Connection(settings, catalog, codec, url, embedded)
