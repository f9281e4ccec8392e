"""Consumer lag: how far each agent's committed offsets trail the log's end, per partition.

Faust keeps one committed offset per topic partition for all agents of an app (one consumer
group), so an agent's lag on partition p is the sum, over the topics it consumes, of end offset
minus committed offset. Read from the broker with kafka-python's admin client, off the event loop.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from kafka import KafkaAdminClient, KafkaConsumer, TopicPartition
from prometheus_client import Gauge

from streams.registry.service import answers as registry_answers
from streams.stall import StallWatch, restart_process

log = logging.getLogger(__name__)

# Real seconds between two samples; a scrape every 15 s sees a fresh one.
SAMPLE_SECONDS = float(os.environ.get("ONETHING_LAG_SECONDS", "5"))

CONSUMER_LAG = Gauge(
    "onething_consumer_lag",
    "Records not yet committed by an agent's consumer group, summed over the agent's topics",
    ["worker", "group", "agent", "partition"],
)
REGISTRY_UP = Gauge("onething_registry_up", "1 when the schema registry answered the last probe", ["worker"])

Offsets = Mapping[tuple[str, int], int]


def lag_by_agent(
    agent_topics: Mapping[str, Iterable[str]],
    committed: Offsets,
    ends: Offsets,
    *,
    assigned: set[tuple[str, int]] | None = None,
) -> dict[tuple[str, int], int]:
    """(agent, partition) → records behind. A partition never committed is behind by its end
    offset (agents start from the earliest record). Only ``assigned`` partitions when given, so
    workers sharing a group each report their own share."""
    lag: dict[tuple[str, int], int] = {}
    for agent, topics in agent_topics.items():
        for topic in topics:
            for (end_topic, partition), end in ends.items():
                if end_topic != topic or (assigned is not None and (topic, partition) not in assigned):
                    continue
                behind = max(end - committed.get((topic, partition), 0), 0)
                lag[(agent, partition)] = lag.get((agent, partition), 0) + behind
    return lag


def records_behind(committed: Offsets, ends: Offsets) -> int:
    """Records not yet committed, over every partition of ``ends`` (one never committed: all)."""
    return sum(max(end - committed.get(tp, 0), 0) for tp, end in ends.items())


def caught_up_within(bootstrap: str, group: str, topics: Iterable[str], timeout: float) -> float | None:
    """Seconds until ``group`` committed the end of every partition of ``topics``; None if it had
    not within ``timeout``."""
    topics = list(topics)
    reader = OffsetReader(bootstrap)
    started = time.monotonic()
    try:
        while True:
            if records_behind(*reader.read(group, topics)) == 0:
                return time.monotonic() - started
            if time.monotonic() - started > timeout:
                return None
            time.sleep(0.5)
    finally:
        reader.close()


class OffsetReader:
    """Committed and end offsets through one admin client and one group-less consumer, kept open."""

    def __init__(self, bootstrap: str, **client_options: Any) -> None:
        # client_options: the security options of streams.security.kafka_options.
        self.admin = KafkaAdminClient(bootstrap_servers=bootstrap, client_id="onething-lag", **client_options)
        self.consumer = KafkaConsumer(
            bootstrap_servers=bootstrap, group_id=None, enable_auto_commit=False, **client_options
        )

    def read(self, group: str, topics: Iterable[str]) -> tuple[Offsets, Offsets]:
        """(committed offsets of ``group``, end offsets) for every partition of ``topics``."""
        offsets = self.admin.list_group_offsets({group: None}).get(group, {})
        committed = {
            (tp.topic, tp.partition): meta.offset for tp, meta in offsets.items() if meta.offset >= 0
        }
        partitions = [
            TopicPartition(topic, p)
            for topic in topics
            for p in self.consumer.partitions_for_topic(topic) or ()
        ]
        ends = self.consumer.end_offsets(partitions) if partitions else {}
        return committed, {(tp.topic, tp.partition): end for tp, end in ends.items()}

    def close(self) -> None:
        self.consumer.close()
        self.admin.close()


class LagSampler:
    """Samples lag and registry health into gauges on a daemon thread, every SAMPLE_SECONDS."""

    def __init__(
        self,
        *,
        worker: str,
        bootstrap: str,
        group: str,
        agent_topics: Mapping[str, Iterable[str]],
        registry_url: str,
        assigned: Callable[[], set[tuple[str, int]] | None] = lambda: None,
        client_options: Mapping[str, Any] | None = None,
        stall: StallWatch | None = None,
        recovering: Callable[[], bool] = lambda: False,
        on_stall: Callable[[str], None] = restart_process,
    ) -> None:
        self.worker, self.bootstrap, self.group = worker, bootstrap, group
        self.client_options = dict(client_options or {})
        self.agent_topics = {agent: sorted(topics) for agent, topics in agent_topics.items()}
        self.registry_url = registry_url
        self.assigned = assigned
        self.stall, self.recovering, self.on_stall = stall, recovering, on_stall
        self._reported: set[tuple[str, int]] = set()
        self._reader: OffsetReader | None = None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="consumer-lag", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()

    def sample(self) -> None:
        topics = sorted({t for topics in self.agent_topics.values() for t in topics})
        if self._reader is None:
            self._reader = OffsetReader(self.bootstrap, **self.client_options)
        committed, ends = self._reader.read(self.group, topics)
        assigned = self.assigned()
        lag = lag_by_agent(self.agent_topics, committed, ends, assigned=assigned)
        # A partition that moved to another worker is that worker's to report now.
        for agent, partition in self._reported - set(lag):
            CONSUMER_LAG.remove(self.worker, self.group, agent, str(partition))
        for (agent, partition), behind in lag.items():
            CONSUMER_LAG.labels(self.worker, self.group, agent, str(partition)).set(behind)
        self._reported = set(lag)
        if self.stall is not None:
            self._judge_progress(committed, ends, assigned)

    def _judge_progress(
        self, committed: Offsets, ends: Offsets, assigned: set[tuple[str, int]] | None
    ) -> None:
        assert self.stall is not None
        if self.recovering():  # a rebalance or a table recovery commits nothing, rightly
            self.stall.excuse()
            return
        mine = {tp: end for tp, end in ends.items() if assigned is None or tp in assigned}
        stalled = self.stall.observe(committed, mine, time.monotonic())
        if stalled:
            named = ", ".join(f"{topic}[{partition}]" for topic, partition in stalled[:5])
            self.on_stall(
                f"no progress for {self.stall.stall_seconds:.0f} s on {len(stalled)} partition(s) "
                f"with records waiting ({named})"
            )

    def _run(self) -> None:
        while not self._stop.is_set():
            registry_up = registry_answers(self.registry_url)
            REGISTRY_UP.labels(self.worker).set(1 if registry_up else 0)
            if not registry_up and self.stall is not None:
                self.stall.excuse()  # agents wait for the registry on purpose
            try:
                self.sample()
            except Exception as exc:  # a broker hiccup must not end the sampling for good
                if self.stall is not None:
                    self.stall.excuse()
                log.warning("consumer lag not sampled: %s", exc)
                if self._reader is not None:
                    self._reader.close()
                    self._reader = None
            self._stop.wait(SAMPLE_SECONDS)
