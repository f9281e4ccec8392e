"""Reading the log back: the platform's reader against a raw consumer on the same topics.

The platform's reader is streams.eventlog.EventLog (every event topic from offset zero, decoded
and grouped by case), what the demo, tests and case histories use; the raw consumer reads the
same partitions to their end and decodes nothing.
"""

from __future__ import annotations

import time

from kafka import KafkaConsumer, TopicPartition

from streams.bench.cluster import BenchCluster
from streams.bench.figures import Figure, Target
from streams.eventlog import EventLog
from streams.topics import DEAD_LETTER_TOPIC

TARGET = Target(">=", 0.5)


def _raw_read(bootstrap: str, topics: list[str], timeout: float) -> tuple[int, float]:
    consumer = KafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False)
    try:
        partitions = [
            TopicPartition(t, p) for t in topics for p in sorted(consumer.partitions_for_topic(t) or ())
        ]
        consumer.assign(partitions)
        started = time.monotonic()
        consumer.seek_to_beginning(*partitions)
        ends = consumer.end_offsets(partitions)
        count = 0
        while any(consumer.position(tp) < end for tp, end in ends.items()):
            if time.monotonic() - started > timeout:
                raise RuntimeError(f"the raw reader did not reach the log's end in {timeout:.0f} s")
            for records in consumer.poll(timeout_ms=200).values():
                count += len(records)
        return count, time.monotonic() - started
    finally:
        consumer.close()


def measure_replay(cluster: BenchCluster, *, timeout: float = 600) -> Figure:
    connection = cluster.connection
    topics = [c.topic for c in connection.catalog] + [DEAD_LETTER_TOPIC]
    raw_count, raw_seconds = _raw_read(connection.settings.bootstrap_servers, topics, timeout)
    started = time.monotonic()
    log = EventLog(connection)
    try:
        if not log.wait_caught_up(timeout):
            raise RuntimeError(f"the event log was not read to its end in {timeout:.0f} s")
        seconds = time.monotonic() - started
        count = sum(log.version())
    finally:
        log.close()
    return Figure(
        "replay_ratio_vs_raw",
        count / seconds,
        raw_count / raw_seconds,
        TARGET,
        unit="events/s read from offset zero by streams.eventlog.EventLog (decoded, grouped by case)",
        baseline_is="a raw kafka-python consumer reading the same partitions to their end, no decoding",
        details={"events": count, "raw_records": raw_count, "reader": "streams.eventlog.EventLog"},
    )
