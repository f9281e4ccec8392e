"""An agent's batch of records, split so that records of one key are handled in the order read.

A department or the tracker reads and writes state under the record's key (its case) alone, and
writes it only once the record's outputs are acknowledged. So the records of one batch with
different keys are handled together, their outputs sent together and acknowledged together; a
second record of a key waits for the next round, when the first one's state is written.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from typing import TypeVar

Record = TypeVar("Record")


def rounds(records: Sequence[Record], key: Callable[[Record], Hashable]) -> list[list[Record]]:
    """The n-th record of each key goes into round n; each round keeps the order read."""
    split: list[list[Record]] = []
    seen: dict[Hashable, int] = {}
    for record in records:
        k = key(record)
        n = seen.get(k, 0)
        seen[k] = n + 1
        if n == len(split):
            split.append([])
        split[n].append(record)
    return split
