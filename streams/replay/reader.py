"""Reads one case's records from the log without scanning every topic from zero.

With the worker's case index (streams/replay/index.py) the reader fetches exactly the positions the
index names, then what the worker's group has not committed yet (the index may trail the log by a
few seconds) from the case's partition only. Without an index it falls back to reading the case's
partition of every topic — events are keyed by case id, so one partition per topic holds them all —
and decodes only the records whose key is the case id. Either way every record keeps its position
and the registry id of the schema it was written with.
"""

from __future__ import annotations

import json
import logging
import time
import urllib.parse
import urllib.request
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from kafka import KafkaConsumer, TopicPartition
from kafka.errors import KafkaTimeoutError
from kafka.partitioner.default import murmur2

from streams.codec import Codec, DecodeError
from streams.events import Event
from streams.processing import decode_event
from streams.security import kafka_options
from streams.startup import Connection

log = logging.getLogger(__name__)

# Wanted offsets further apart than this are reached by a new seek rather than read through.
SEEK_GAP = 200
POLL_MS = 500
INDEX_TIMEOUT_SECONDS = 3.0
END_OFFSET_ATTEMPTS = 3

# Called with (records read so far, records to read) while a long read goes on.
Progress = Callable[[int, int], None]


@dataclass(frozen=True, slots=True)
class Located:
    """An event with where it lies in the log and how it was written."""

    event: Event
    topic: str
    partition: int
    offset: int
    timestamp: int  # the broker's record timestamp (ms)
    schema_id: int
    value: bytes
    key: bytes | None

    @property
    def position(self) -> str:
        return f"{self.topic}[{self.partition}]@{self.offset}"


def key_partition(key: bytes, partitions: int) -> int:
    """The partition Kafka's default partitioner (Java, aiokafka, kafka-python alike) picks for a key."""
    return (murmur2(key) & 0x7FFFFFFF) % partitions


@dataclass(frozen=True)
class IndexAnswer:
    entry: dict[str, Any] | None
    group: str


class LogReader:
    """One reader per command; ``close`` when done."""

    def __init__(self, connection: Connection, *, progress: Progress | None = None) -> None:
        self.connection = connection
        self.settings = connection.settings
        self.codec: Codec = connection.codec
        self.progress = progress
        self.undecodable = 0
        self.missing: list[str] = []  # positions the index named that the log no longer has
        self.used_index = False
        self._consumer = KafkaConsumer(
            bootstrap_servers=self.settings.bootstrap_servers,
            group_id=None,
            enable_auto_commit=False,
            max_poll_records=5000,
            **kafka_options(self.settings),
        )
        existing = self._consumer.topics()  # one metadata request; absent topics hold nothing
        self.topics = sorted(c.topic for c in connection.catalog if c.topic in existing)
        self._partitions = {t: sorted(self._consumer.partitions_for_topic(t) or ()) for t in self.topics}

    def close(self) -> None:
        cluster_log = logging.getLogger("kafka.cluster")
        level = cluster_log.level
        cluster_log.setLevel(logging.CRITICAL)  # closing cancels a metadata refresh, logged as an ERROR
        try:
            self._consumer.close()
        finally:
            cluster_log.setLevel(level)

    # -- one case ----------------------------------------------------------------------------

    def case(self, case_id: str) -> list[Located]:
        """Every record of the case (duplicates included: the chain drops them)."""
        answer = self.ask_index("cases", case_id)
        if answer is None or answer.entry is None:
            # No index, or one that does not hold this case (a new case, or another worker's
            # partition): the case's partitions are read instead.
            return self.scan_case(case_id)
        self.used_index = True
        positions = (answer.entry or {}).get("positions") or []
        wanted: dict[TopicPartition, set[int]] = defaultdict(set)
        for topic, partition, offset in positions:
            wanted[TopicPartition(topic, partition)].add(offset)
        found = self.fetch(wanted)
        found += self.scan_case(case_id, starts=self._committed(answer.group, case_id))
        return found

    def ask_index(self, kind: str, key: str) -> IndexAnswer | dict[str, Any] | None:
        """The worker's index answer, or None where no index of this log answers (then scan)."""
        if not self.settings.index_port:
            return None
        host = self.settings.dashboard_host
        url = f"http://{host}:{self.settings.index_port}/{kind}/{urllib.parse.quote(key, safe='')}"
        try:
            with urllib.request.urlopen(url, timeout=INDEX_TIMEOUT_SECONDS) as response:
                body = json.loads(response.read())
        except (OSError, ValueError):
            return None
        if body.get("bootstrap") != self.settings.bootstrap_servers or not body.get("ready"):
            return None  # another deployment's index, or one still recovering
        if kind == "subjects":
            return body
        return IndexAnswer(body.get("entry"), body["group"])

    def subject_cases(self, subject: str) -> list[str] | None:
        """The cases of an enterprise or citizen token, from the index; None without an index."""
        answer = self.ask_index("subjects", subject)
        return None if answer is None else list(answer.get("cases") or [])

    def fetch(self, wanted: dict[TopicPartition, set[int]]) -> list[Located]:
        """The records at exactly these offsets."""
        wanted = {
            tp: set(offsets) for tp, offsets in wanted.items() if offsets and tp.topic in self._partitions
        }
        if not wanted:
            return []
        consumer = self._consumer
        consumer.assign(list(wanted))
        ends = self.end_offsets(list(wanted))
        for tp, offsets in wanted.items():
            consumer.seek(tp, min(offsets))
        found: list[Located] = []
        open_ = {tp for tp, offsets in wanted.items() if offsets}
        while open_:
            batches = consumer.poll(timeout_ms=POLL_MS)
            for tp, records in batches.items():
                left = wanted[tp]
                for record in records:
                    if record.offset in left:
                        left.discard(record.offset)
                        found.extend(self._located(record))
            for tp in list(open_):
                left = wanted[tp]
                if left and consumer.position(tp) >= ends[tp]:
                    self.missing += [f"{tp.topic}[{tp.partition}]@{o}" for o in sorted(left)]
                    left.clear()
                if not left:
                    open_.discard(tp)
                    consumer.pause(tp)
                elif consumer.position(tp) < min(left) - SEEK_GAP:
                    consumer.seek(tp, min(left))
        consumer.resume(*consumer.paused())
        return found

    def _committed(self, group: str, case_id: str) -> dict[TopicPartition, int]:
        """Where the indexing group stands in the case's partition of each topic: records before
        that are in the index, records after it may not be yet."""
        from kafka.admin import KafkaAdminClient

        admin = KafkaAdminClient(
            bootstrap_servers=self.settings.bootstrap_servers,
            client_id="onething-replay",
            **kafka_options(self.settings),
        )
        starts = dict.fromkeys(self._case_partitions(case_id), 0)
        try:
            committed = admin.list_group_offsets({group: list(starts)}).get(group, {})
        finally:
            admin.close()
        for tp, meta in committed.items():
            if tp in starts and meta.offset >= 0:
                starts[tp] = meta.offset
        return starts

    def _case_partitions(self, case_id: str) -> list[TopicPartition]:
        key = case_id.encode()
        return [
            TopicPartition(topic, parts[key_partition(key, len(parts))])
            for topic, parts in self._partitions.items()
            if parts
        ]

    def scan_case(self, case_id: str, *, starts: dict[TopicPartition, int] | None = None) -> list[Located]:
        """The case's records in its partition of every topic, from ``starts`` (default zero)."""
        if starts is None:
            starts = {tp: 0 for tp in self._case_partitions(case_id)}
        key = case_id.encode()
        return [
            located for record in self.scan(starts) if record.key == key for located in self._located(record)
        ]

    # -- many records --------------------------------------------------------------------------

    def scan(
        self, starts: dict[TopicPartition, int], ends: dict[TopicPartition, int] | None = None
    ) -> Iterator:
        """Raw records of these partitions from ``starts`` up to ``ends`` (default: the end now)."""
        consumer = self._consumer
        tps = list(starts)
        if not tps:
            return
        consumer.assign(tps)
        latest = self.end_offsets(tps)
        ends = {tp: min(latest[tp], (ends or latest).get(tp, latest[tp])) for tp in tps}
        todo = {tp for tp in tps if starts[tp] < ends[tp]}
        total = sum(ends[tp] - starts[tp] for tp in todo)
        for tp in tps:
            if tp in todo:
                consumer.seek(tp, starts[tp])
            else:
                consumer.pause(tp)
        done = 0
        while todo:
            batches = consumer.poll(timeout_ms=POLL_MS)
            for tp, records in batches.items():
                for record in records:
                    if record.offset < ends[tp]:
                        yield record
                done += len(records)
            # Positions, not record offsets: transaction markers take offsets too.
            for tp in list(todo):
                if consumer.position(tp) >= ends[tp]:
                    todo.discard(tp)
                    consumer.pause(tp)
            if self.progress and total:
                self.progress(min(done, total), total)
        consumer.resume(*consumer.paused())

    def all_partitions(self, topics: Iterable[str] | None = None) -> list[TopicPartition]:
        return [
            TopicPartition(t, p)
            for t in (self.topics if topics is None else topics)
            for p in self._partitions.get(t, ())
        ]

    def end_offsets(self, tps: list[TopicPartition]) -> dict[TopicPartition, int]:
        """The log's end now. kafka-python can drop a partition from a slow answer: ask again."""
        for attempt in range(END_OFFSET_ATTEMPTS):
            try:
                return self._consumer.end_offsets(tps)
            except (KeyError, KafkaTimeoutError):
                if attempt == END_OFFSET_ATTEMPTS - 1:
                    raise
                time.sleep(0.2 * (attempt + 1))
        raise AssertionError("unreachable")

    def partitions_of(self, topic: str) -> list[TopicPartition]:
        """Every partition of any topic (a changelog, say); none when it does not exist."""
        return [TopicPartition(topic, p) for p in sorted(self._consumer.partitions_for_topic(topic) or ())]

    def window(
        self, tps: list[TopicPartition], since: int | None, until: int | None
    ) -> tuple[dict[TopicPartition, int], dict[TopicPartition, int]]:
        """Start and end offsets of a time window (ms) in each partition: Kafka's offsets by time."""
        consumer = self._consumer
        if not tps:
            return {}, {}
        latest = self.end_offsets(tps)
        starts = dict.fromkeys(tps, 0)
        ends = dict(latest)
        if since is not None:
            for tp, found in consumer.offsets_for_times(dict.fromkeys(tps, since)).items():
                starts[tp] = found.offset if found else latest[tp]
        if until is not None:
            for tp, found in consumer.offsets_for_times(dict.fromkeys(tps, until + 1)).items():
                ends[tp] = found.offset if found else latest[tp]
        return starts, ends

    def keys_in(self, tps: list[TopicPartition], since: int | None, until: int | None) -> list[str]:
        """Case ids (record keys) of these partitions in a time window, in the order first seen."""
        starts, ends = self.window(tps, since, until)
        seen: dict[str, None] = {}
        for record in self.scan(starts, ends):
            if record.key:
                seen.setdefault(record.key.decode(errors="replace"), None)
        return list(seen)

    def decoded(self, records: Iterable) -> list[Located]:
        return [located for record in records for located in self._located(record)]

    def _located(self, record) -> list[Located]:
        try:
            schema_id, _ = Codec.split(record.value)
            event = decode_event(self.codec, record.value)
        except DecodeError:
            self.undecodable += 1  # the agents dead-letter these; replay shows what was understood
            return []
        return [
            Located(
                event,
                record.topic,
                record.partition,
                record.offset,
                record.timestamp,
                schema_id,
                record.value,
                record.key,
            )
        ]
