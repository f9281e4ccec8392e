"""Bounded state: what an agent keeps only for a while.

Processed event ids exist to drop redeliveries and replays; after a retention (7 days by default,
`ONETHING_RETENTION_HOURS`) nothing redelivers them any more, so they go. A closed case keeps only
a small marker (so late events for it are ignored), which goes after the same retention.

Entries carry the real time they were written and the partition they belong to: a timer (which
has no event in hand) writes their tombstones to the right changelog partition itself. Retention
runs on real time, not the platform clock: a demo's accelerated days must not expire a dedupe id
a crash is about to need.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable, Iterator
from typing import Any

from streams.envelope import now_millis  # real time, not the platform clock

log = logging.getLogger(__name__)

STAMP, PARTITION = "at", "p"
# Real seconds between two purges of a table.
PURGE_SECONDS = float(os.environ.get("ONETHING_PURGE_SECONDS", "60"))


def stamped(value: dict[str, Any], partition: int, at: int | None = None) -> dict[str, Any]:
    """``value`` marked with when and for which partition it was written."""
    return {**value, STAMP: now_millis() if at is None else at, PARTITION: partition}


def expired(
    items: Iterable[tuple[str, Any]], cutoff: int, partitions: set[int] | None = None
) -> Iterator[tuple[str, int]]:
    """(key, partition) of stamped entries written before ``cutoff``, in ``partitions`` if given.
    Unstamped values (open cases, entries from before stamping) stay."""
    for key, value in items:
        if not isinstance(value, dict) or STAMP not in value or PARTITION not in value:
            continue
        if value[STAMP] < cutoff and (partitions is None or value[PARTITION] in partitions):
            yield key, value[PARTITION]


class Purger:
    """Deletes expired entries of one faust table, tombstones included, outside any agent."""

    def __init__(self, table: Any, retention_millis: int) -> None:
        self.table = table
        self.retention_millis = retention_millis

    def purge(self, partitions: set[int] | None) -> int:
        cutoff = now_millis() - self.retention_millis
        gone = list(expired(list(self.table.data.items()), cutoff, partitions))
        for key, partition in gone:
            self.table.data.pop(key, None)
            # The tombstone lets compaction drop the key, so a recovering worker never reads it.
            self.table.send_changelog(partition, key, None, value_serializer="raw")
        if gone:
            log.info("%s: %d entries past their retention removed", self.table.name, len(gone))
        return len(gone)
