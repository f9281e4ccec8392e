"""A worker that stops making progress restarts itself.

Rarely, after a rebalance, faust stops handing fetched records to its agents: no error, no log
line, the lag just grows. A partition of this worker with records waiting whose committed offset
has not moved for `stall_seconds`, while the broker and the registry answer, is such a stall (a
registry outage also halts progress, on purpose: that is waited out, not restarted). The worker
then replaces itself with a fresh copy of the same command (same pid, so supervisors and signals
still reach it); what it had not committed is read again and dropped by the processed-id filter.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Callable, Mapping

log = logging.getLogger(__name__)

Partition = tuple[str, int]


class StallWatch:
    """Remembers when each partition's committed offset last moved; names those stalled."""

    def __init__(self, stall_seconds: float) -> None:
        self.stall_seconds = stall_seconds
        # partition → (committed offset, records were waiting, since when both are so)
        self._last: dict[Partition, tuple[int, bool, float]] = {}

    def observe(
        self, committed: Mapping[Partition, int], ends: Mapping[Partition, int], now: float
    ) -> list[Partition]:
        """Partitions with records waiting whose committed offset stood still for too long."""
        stalled = []
        seen = {}
        for partition, end in ends.items():
            offset = committed.get(partition, 0)
            waiting = end > offset
            previous = self._last.get(partition)
            # The clock runs from the moment records were waiting and the offset last moved.
            unchanged = previous is not None and previous[:2] == (offset, True) and waiting
            since = previous[2] if unchanged else now
            seen[partition] = (offset, waiting, since)
            if waiting and now - since >= self.stall_seconds:
                stalled.append(partition)
        self._last = seen  # a partition that left this worker is forgotten
        return sorted(stalled)

    def excuse(self) -> None:
        """Progress could not be judged (broker or registry away): start every clock again."""
        self._last.clear()


def restart_process(reason: str, *, execv: Callable[[str, list[str]], None] = os.execv) -> None:
    """Replace this process with the command that started it."""
    log.error("%s; restarting the worker", reason)
    for handler in logging.getLogger().handlers:
        handler.flush()
    sys.stdout.flush()
    sys.stderr.flush()
    execv(sys.executable, list(sys.orig_argv))
