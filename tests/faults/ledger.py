"""The books of a run, read from the topics alone: what each agent read and how each record ended.

For every agent and every record on its input topics: the record's event id is in the agent's
processed-id changelog, or a dead letter names the agent and the record's position. Anything else
was lost. Outcomes are counted per case: no matter's result, no completion, issued twice.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from kafka import KafkaConsumer, TopicPartition

from streams import discovery
from streams.codec import DecodeError
from streams.config import Settings
from streams.contracts import Catalog
from streams.deadletter import AGENT, SOURCE_OFFSET, SOURCE_PARTITION, SOURCE_TOPIC, header_map
from streams.flows import FlowMap
from streams.processing import decode_event
from streams.seals import SEAL_FIELD
from streams.startup import Connection
from streams.topics import DEAD_LETTER_TOPIC
from streams.tracker import CaseTracker

OUTCOMES = ("CaseCompleted", "CaseRejected")


def read_all(settings: Settings, topics: list[str]) -> dict[str, list]:
    """Every record of ``topics`` from offset zero to the end as it is now."""
    consumer = KafkaConsumer(bootstrap_servers=settings.bootstrap_servers, enable_auto_commit=False)
    try:
        partitions = [
            TopicPartition(t, p) for t in topics for p in sorted(consumer.partitions_for_topic(t) or ())
        ]
        consumer.assign(partitions)
        consumer.seek_to_beginning(*partitions)
        ends = consumer.end_offsets(partitions)
        records: dict[str, list] = defaultdict(list)
        while any(consumer.position(tp) < end for tp, end in ends.items()):
            for batch in consumer.poll(timeout_ms=500, max_records=5000).values():
                for record in batch:
                    records[record.topic].append(record)
        return records
    finally:
        consumer.close()


def agent_topics(connection: Connection) -> dict[str, set[str]]:
    catalog: Catalog = connection.catalog
    settings = connection.settings
    departments = discovery.departments(None, extra=settings.extra_departments)
    topics = {d.name: {catalog[t].topic for t in d.triggers} for d in departments}
    tracker = CaseTracker(FlowMap(discovery.flows(), discovery.departments()), publisher=None)  # type: ignore[arg-type]
    topics["tracker"] = {catalog[t].topic for t in tracker.event_types}
    return topics


@dataclass
class Books:
    lost: list[str] = field(
        default_factory=list
    )  # (agent, position) read but neither processed nor dead-lettered
    repeated: list[str] = field(default_factory=list)  # an outcome issued twice for one case
    dead_letters: list[dict[str, str]] = field(default_factory=list)
    records_read: int = 0


def audit(connection: Connection, *, app_id: str = "onething") -> Books:
    books = Books()
    by_agent = agent_topics(connection)
    changelogs = {agent: f"{app_id}-{agent}-processed-changelog" for agent in by_agent}
    inputs = sorted(set().union(*by_agent.values()))
    records = read_all(connection.settings, [*inputs, DEAD_LETTER_TOPIC, *changelogs.values()])

    processed = {
        agent: {json.loads(r.key) for r in records.get(topic, ()) if r.value is not None}
        for agent, topic in changelogs.items()
    }
    lettered = set()
    for letter in records.get(DEAD_LETTER_TOPIC, ()):
        headers = header_map(letter.headers)
        books.dead_letters.append(headers)
        lettered.add(
            (
                headers[AGENT],
                headers[SOURCE_TOPIC],
                int(headers[SOURCE_PARTITION]),
                int(headers[SOURCE_OFFSET]),
            )
        )

    events_by_position = {}
    for topic in inputs:
        for record in records.get(topic, ()):
            try:
                events_by_position[(topic, record.partition, record.offset)] = decode_event(
                    connection.codec, record.value
                )
            except DecodeError:
                events_by_position[(topic, record.partition, record.offset)] = None

    for agent, topics in by_agent.items():
        for topic in topics:
            for record in records.get(topic, ()):
                books.records_read += 1
                position = (topic, record.partition, record.offset)
                event = events_by_position[position]
                if (agent, *position) in lettered:
                    continue
                if event is not None and event.event_id in processed[agent]:
                    continue
                books.lost.append(f"{agent} {topic}[{record.partition}]@{record.offset}")

    # Outcomes: per case and type, one logical event (one id, one payload), however often redelivered.
    # A redelivered step seals its certificate again at its own time; consumers keep the first by id.
    issued: dict[tuple[str, str], set[str]] = defaultdict(set)
    payloads: dict[tuple[str, str], set[str]] = defaultdict(set)
    for event in events_by_position.values():
        if (
            event is None
            or event.type.endswith("Submitted")
            or event.type in ("DeadlineMissed", "CaseEscalated")
        ):
            continue
        issued[(event.case_id, event.type)].add(event.event_id)
        content = {k: v for k, v in event.payload.items() if k != SEAL_FIELD}
        payloads[(event.case_id, event.type)].add(json.dumps(content, sort_keys=True, default=str))
    for (case_id, kind), ids in issued.items():
        if len(ids) > 1 or len(payloads[(case_id, kind)]) > 1:
            books.repeated.append(f"{case_id}: {kind} issued {len(ids)} times")
    return books


def outcomes_by_case(connection: Connection, case_ids: set[str]) -> Counter:
    """How many distinct completion/rejection events each of ``case_ids`` has."""
    topics = [connection.catalog[t].topic for t in OUTCOMES]
    counts: Counter = Counter()
    for batch in read_all(connection.settings, topics).values():
        seen = set()
        for record in batch:
            event = decode_event(connection.codec, record.value)
            if event.case_id in case_ids and event.event_id not in seen:
                seen.add(event.event_id)
                counts[event.case_id] += 1
    return counts


def first_unfinished(connection: Connection, topic: str, *, app_id: str = "onething") -> dict[int, int]:
    """Per partition of ``topic``: the first offset some agent reading it has not finished.

    That is exactly where a graceful stop must leave the group's committed offset: anything lower
    makes the next worker redo finished work, anything higher would skip unfinished work.
    """
    agents = [agent for agent, topics in agent_topics(connection).items() if topic in topics]
    changelogs = [f"{app_id}-{agent}-processed-changelog" for agent in agents]
    records = read_all(connection.settings, [topic, DEAD_LETTER_TOPIC, *changelogs])
    done = {
        agent: {json.loads(r.key) for r in records.get(log, ())}
        for agent, log in zip(agents, changelogs, strict=True)
    }
    for letter in records.get(DEAD_LETTER_TOPIC, ()):
        headers = header_map(letter.headers)
        if headers[SOURCE_TOPIC] == topic and headers[AGENT] in done:
            done[headers[AGENT]].add((int(headers[SOURCE_PARTITION]), int(headers[SOURCE_OFFSET])))
    first: dict[int, int] = {}
    for record in sorted(records.get(topic, ()), key=lambda r: (r.partition, r.offset)):
        if record.partition in first:
            continue
        event_id = decode_event(connection.codec, record.value).event_id
        if any(event_id not in ids and (record.partition, record.offset) not in ids for ids in done.values()):
            first[record.partition] = record.offset
    return first


def log_ends(settings, topic: str) -> dict[int, int]:
    consumer = KafkaConsumer(bootstrap_servers=settings.bootstrap_servers)
    try:
        partitions = [TopicPartition(topic, p) for p in consumer.partitions_for_topic(topic)]
        return {tp.partition: end for tp, end in consumer.end_offsets(partitions).items()}
    finally:
        consumer.close()


def committed(settings, group: str, topic: str) -> dict[int, int]:
    """The group's committed offset per partition of ``topic`` (the log end where all is done)."""
    # With a group id but no subscription the consumer reads the group's offsets without joining it.
    consumer = KafkaConsumer(
        bootstrap_servers=settings.bootstrap_servers, group_id=group, enable_auto_commit=False
    )
    try:
        partitions = [TopicPartition(topic, p) for p in consumer.partitions_for_topic(topic)]
        return {tp.partition: consumer.committed(tp) or 0 for tp in partitions}
    finally:
        consumer.close()
