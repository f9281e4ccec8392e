"""Topics derived from the contracts, with partitions, retention and compaction declared here.

Provisioning is idempotent: missing topics are created, short ones get more partitions, existing
configuration is brought to what is declared. Broker auto-creation is never relied on.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from kafka.admin import (
    ConfigResource,
    ConfigResourceType,
    KafkaAdminClient,
    NewPartitions,
    NewTopic,
)
from kafka.errors import TopicAlreadyExistsError

from streams.contracts import Catalog

log = logging.getLogger(__name__)

DEAD_LETTER_TOPIC = "gov.onething.dead_letter.v1"
# Event topics are the audit record: keep them for ever. Dead letters wait 90 days for a fix.
KEEP_FOREVER = {"retention.ms": "-1", "cleanup.policy": "delete"}
DEAD_LETTER_CONFIG = {"retention.ms": str(90 * 24 * 3600 * 1000), "cleanup.policy": "delete"}
# Which dead letters `onething deadletters replay` put back, keyed by the letter's position: one
# small partition, compacted, so the latest word on each letter is all that is kept.
DEAD_LETTER_REPLAYS_TOPIC = "gov.onething.dead_letter_replays.v1"
DEAD_LETTER_REPLAYS_CONFIG = {"cleanup.policy": "compact"}


@dataclass(frozen=True, kw_only=True)
class TopicSpec:
    name: str
    partitions: int
    replication_factor: int = 1
    config: dict[str, str] = field(default_factory=dict)


def declared_topics(catalog: Catalog, *, partitions: int, replication_factor: int = 1) -> list[TopicSpec]:
    """Every event topic (same partition count, so a case lands on the same partition everywhere)."""
    specs = [
        TopicSpec(
            name=contract.topic,
            partitions=partitions,
            replication_factor=replication_factor,
            config=dict(KEEP_FOREVER),
        )
        for contract in catalog
    ]
    specs.append(
        TopicSpec(
            name=DEAD_LETTER_TOPIC,
            partitions=partitions,
            replication_factor=replication_factor,
            config=dict(DEAD_LETTER_CONFIG),
        )
    )
    specs.append(dead_letter_replays_topic(replication_factor=replication_factor))
    return specs


def dead_letter_replays_topic(*, replication_factor: int = 1) -> TopicSpec:
    return TopicSpec(
        name=DEAD_LETTER_REPLAYS_TOPIC,
        partitions=1,
        replication_factor=replication_factor,
        config=dict(DEAD_LETTER_REPLAYS_CONFIG),
    )


def provision(bootstrap_servers: str, specs: Iterable[TopicSpec], **client_options: Any) -> dict[str, str]:
    """Bring the broker to the declared topics; returns what was done per topic.

    ``client_options`` are the admin client's security options (streams.security.kafka_options).
    """
    specs = list(specs)
    admin = KafkaAdminClient(
        bootstrap_servers=bootstrap_servers, client_id="onething-provision", **client_options
    )
    try:
        existing = _partition_counts(admin, [s.name for s in specs])
        outcome: dict[str, str] = {}
        missing = [s for s in specs if s.name not in existing]
        for spec in missing:
            try:
                admin.create_topics(
                    [
                        NewTopic(
                            spec.name,
                            spec.partitions,
                            spec.replication_factor,
                            topic_configs=spec.config,
                        )
                    ]
                )
                outcome[spec.name] = "created"
            except TopicAlreadyExistsError:  # another worker won the race
                outcome[spec.name] = "exists"
        for spec in specs:
            if spec.name in existing:
                outcome[spec.name] = _reconcile(admin, spec, existing[spec.name])
        return outcome
    finally:
        admin.close()


def _partition_counts(admin: KafkaAdminClient, names: list[str]) -> dict[str, int]:
    present = set(admin.list_topics())
    wanted = [n for n in names if n in present]
    if not wanted:
        return {}
    return {t["name"]: len(t["partitions"]) for t in admin.describe_topics(wanted)}


def _reconcile(admin: KafkaAdminClient, spec: TopicSpec, partitions: int) -> str:
    changes = []
    if partitions < spec.partitions:
        admin.create_partitions({spec.name: NewPartitions(total_count=spec.partitions)})
        changes.append(f"partitions {partitions}→{spec.partitions}")
    elif partitions > spec.partitions:
        log.warning(
            "%s has %d partitions, more than the %d declared",
            spec.name,
            partitions,
            spec.partitions,
        )
    if spec.config:
        admin.alter_configs([ConfigResource(ConfigResourceType.TOPIC, spec.name, configs=spec.config)])
    return "exists" + (f" ({', '.join(changes)})" if changes else "")
