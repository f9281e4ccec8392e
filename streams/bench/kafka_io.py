"""Plain aiokafka producing and collecting for the benchmarks: no platform code in between."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Sequence
from dataclasses import dataclass

import kafka
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from kafka import KafkaConsumer
from kafka.admin import KafkaAdminClient, NewTopic
from kafka.errors import TopicAlreadyExistsError


@dataclass(frozen=True, slots=True)
class Seen:
    """One record read back: its key and the timestamp its producer gave it (ms)."""

    key: bytes | None
    timestamp_ms: int
    value: bytes | None = None


def ensure_topic(bootstrap: str, name: str, *, partitions: int) -> None:
    admin = KafkaAdminClient(bootstrap_servers=bootstrap)
    try:
        admin.create_topics([NewTopic(name, partitions, 1)])
    except TopicAlreadyExistsError:
        pass
    finally:
        admin.close()


def end_offsets(bootstrap: str, topics: Sequence[str]) -> dict[TopicPartition, int]:
    """Where each partition of ``topics`` ends now."""
    consumer = KafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False)
    try:
        partitions = [
            kafka.TopicPartition(t, p) for t in topics for p in sorted(consumer.partitions_for_topic(t) or ())
        ]
        ends = consumer.end_offsets(partitions)
        return {TopicPartition(tp.topic, tp.partition): offset for tp, offset in ends.items()}
    finally:
        consumer.close()


async def produce(bootstrap: str, records: Sequence[tuple[str, bytes, bytes]]) -> None:
    """Send (topic, key, value) records as fast as the broker takes them, acks from all replicas."""
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all", linger_ms=5)
    await producer.start()
    try:
        futures = [await producer.send(topic, value, key=key) for topic, key, value in records]
        await asyncio.gather(*futures)
    finally:
        await producer.stop()


async def collect(
    bootstrap: str,
    start: dict[TopicPartition, int],
    *,
    count: int,
    timeout: float,
    keep_values: bool = False,
    keys: set[bytes] | None = None,
) -> list[Seen]:
    """Read from ``start`` until ``count`` records arrived or ``timeout`` seconds passed; with
    ``keys``, until ``count`` of those keys were seen (a redelivered record counts once)."""
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False)
    await consumer.start()
    seen: list[Seen] = []
    try:
        consumer.assign(list(start))
        for tp, offset in start.items():
            consumer.seek(tp, offset)
        deadline = time.monotonic() + timeout
        while len(seen) < count and time.monotonic() < deadline:
            batches = await consumer.getmany(timeout_ms=200, max_records=2000)
            for records in batches.values():
                seen.extend(Seen(r.key, r.timestamp, r.value if keep_values else None) for r in records)
        return seen
    finally:
        await consumer.stop()


def span_rate(seen: Sequence[Seen]) -> float | None:
    """Records per second between the first and the last timestamp; None for too few records."""
    if len(seen) < 2:
        return None
    stamps = [s.timestamp_ms for s in seen]
    elapsed = (max(stamps) - min(stamps)) / 1000
    return (len(seen) - 1) / elapsed if elapsed > 0 else None
