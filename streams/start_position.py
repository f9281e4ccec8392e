"""Where a new consumer group starts reading: the earliest record, the log end, or a point in time.

A worker for a newly added department runs in a group of its own (faust keeps one offset per
partition per group). Started from the earliest record it would act on every historical case;
`onething run --from latest` or `--from 2026-11-30T08:00` places the group first. A group that
already committed anything resumes where it was, whatever ``--from`` says.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from kafka import KafkaAdminClient, KafkaConsumer, TopicPartition
from kafka.structs import OffsetAndMetadata

log = logging.getLogger(__name__)

EARLIEST, LATEST = "earliest", "latest"


@dataclass(frozen=True)
class StartPosition:
    """``earliest``, ``latest``, or ``at`` (epoch milliseconds)."""

    where: str
    at_millis: int | None = None

    def __str__(self) -> str:
        if self.at_millis is None:
            return self.where
        return datetime.fromtimestamp(self.at_millis / 1000, UTC).isoformat(timespec="seconds")


def parse_start(text: str) -> StartPosition:
    """``earliest``, ``latest`` or an ISO 8601 time (UTC unless it names its offset)."""
    if text in (EARLIEST, LATEST):
        return StartPosition(text)
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        wanted = "earliest, latest or an ISO time like 2026-11-30T08:00"
        raise ValueError(f"takes {wanted}, not {text!r}") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return StartPosition("time", int(moment.timestamp() * 1000))


FROM_EARLIEST = StartPosition(EARLIEST)


def place_new_group(
    bootstrap: str, group: str, topics: Iterable[str], start: StartPosition, **client_options: Any
) -> dict[tuple[str, int], int] | None:
    """Commit ``start`` as the group's offsets when the group has none; the offsets, or None when
    the group already had offsets (or starts at the earliest record, faust's own default)."""
    if start.where == EARLIEST:
        return None
    admin = KafkaAdminClient(bootstrap_servers=bootstrap, client_id="onething-start", **client_options)
    try:
        if admin.list_group_offsets({group: None}).get(group):
            log.info("group %s has committed offsets; it resumes there, not from %s", group, start)
            return None
    finally:
        admin.close()
    consumer = KafkaConsumer(
        bootstrap_servers=bootstrap, group_id=group, enable_auto_commit=False, **client_options
    )
    try:
        partitions = [
            TopicPartition(topic, p)
            for topic in sorted(set(topics))
            for p in consumer.partitions_for_topic(topic) or ()
        ]
        ends = consumer.end_offsets(partitions)
        offsets = dict(ends)
        if start.at_millis is not None:
            found = consumer.offsets_for_times({tp: start.at_millis for tp in partitions})
            # No record at or after the time: the log end.
            offsets = {tp: found[tp].offset if found.get(tp) else ends[tp] for tp in partitions}
        consumer.commit({tp: OffsetAndMetadata(offset, "", -1) for tp, offset in offsets.items()})
    finally:
        consumer.close()
    log.info("new group %s starts from %s on %d partitions", group, start, len(offsets))
    return {(tp.topic, tp.partition): offset for tp, offset in offsets.items()}
