"""No citizen identity number travels in clear: every byte of every topic is scanned for one.

Every flow runs once here (the demo and the flow tests, earlier in the session, add theirs); then
keys, values and headers of every record in every topic, internal ones included, are searched for
a valid 18-character 公民身份号码.
"""

from __future__ import annotations

import pytest
from kafka import KafkaConsumer, TopicPartition

from streams import discovery
from streams.identifiers import find_citizen_ids
from streams.security import kafka_options
from streams.simulate import submit_cases, wait_for_outcomes

pytestmark = pytest.mark.integration


def every_record(settings):
    """(topic, key, value, headers) of every record in every topic, from the beginning to the end now."""
    consumer = KafkaConsumer(
        bootstrap_servers=settings.bootstrap_servers,
        group_id=None,
        enable_auto_commit=False,
        **kafka_options(settings),
    )
    try:
        partitions = [
            TopicPartition(topic, p)
            for topic in sorted(consumer.topics())
            for p in sorted(consumer.partitions_for_topic(topic) or ())
        ]
        consumer.assign(partitions)
        consumer.seek_to_beginning(*partitions)
        ends = consumer.end_offsets(partitions)
        while any(consumer.position(tp) < end for tp, end in ends.items()):
            for records in consumer.poll(timeout_ms=1000).values():
                for r in records:
                    yield r.topic, r.key or b"", r.value or b"", r.headers or []
    finally:
        consumer.close()


def test_no_topic_holds_a_citizen_id_in_clear(settings, desk, event_log):
    cases = submit_cases(desk, discovery.flows(), cases=1, seed=7)
    assert wait_for_outcomes(event_log, cases, 120), "the flows did not end"

    scanned, leaks = 0, []
    for topic, key, value, headers in every_record(settings):
        scanned += 1
        for where, data in [("key", key), ("value", value)] + [(f"header {h}", v or b"") for h, v in headers]:
            leaks += [(topic, where, number) for number in find_citizen_ids(data)]

    assert scanned > len(cases) * 3  # the scan saw the cases' events, not an empty log
    assert leaks == []
