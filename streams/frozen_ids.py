"""Event ids loaded from a snapshot, held in one bytes object instead of a dict.

A week of traffic leaves a worker's processed-id tables with millions of ids. As a dict of strings
each costs about 200 bytes, and building the dict took most of a second per million ids at every
start. Here an id is a 28-byte record (its 16 bytes, when it was written, its changelog partition)
in one bytes object sorted by id: loading it is reading the bytes, and finding an id is a binary
search (a few microseconds). Ids written after the start live in the table's dict; the next clean
stop freezes them with the rest (streams/id_store.py).
"""

from __future__ import annotations

import struct
from bisect import bisect_left
from collections.abc import Iterable, Iterator

# id (16 bytes), when it was written (epoch ms), its changelog partition. Records compare as bytes,
# so sorting them sorts by id.
RECORD = struct.Struct("<16sqi")
ID_SIZE = 16
# What a snapshot keeps: the partitions the records hold, and the records.
Frozen = tuple[list[int], bytes]
NO_FROZEN: Frozen = ([], b"")


def id_bytes(key: object) -> bytes | None:
    """The 16 bytes of a UUID in its canonical text (``str(uuid.UUID(...))``); None for any other
    key, which a table keeps in its dict instead."""
    if type(key) is not str or len(key) != 36 or key[8] != "-" or key[13] != "-" or key[18] != "-":
        return None
    digits = key.replace("-", "")
    if len(digits) != 2 * ID_SIZE:
        return None
    try:
        raw = bytes.fromhex(digits)
    except ValueError:
        return None
    return raw if raw.hex() == digits else None  # lower case, no spaces: the canonical text


def id_text(raw: bytes) -> str:
    """The canonical text of a UUID's 16 bytes."""
    h = raw.hex()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def _merged(records: bytes, more: list[bytes]) -> bytes:
    """Sorted ``records`` and sorted ``more`` records, as one sorted bytes object."""
    if not more:
        return records
    if not records:
        return b"".join(more)
    ids, size, parts, start = _Ids(records), RECORD.size, [], 0
    for record in more:
        at = bisect_left(ids, record[:ID_SIZE], start)
        parts.append(records[start * size : at * size])
        parts.append(record)
        start = at
    parts.append(records[start * size :])
    return b"".join(parts)


class _Ids:
    """The ids of sorted records, as the sequence ``bisect`` searches."""

    __slots__ = ("records",)

    def __init__(self, records: bytes) -> None:
        self.records = records

    def __len__(self) -> int:
        return len(self.records) // RECORD.size

    def __getitem__(self, index: int) -> bytes:
        start = index * RECORD.size
        return self.records[start : start + ID_SIZE]


class FrozenIds:
    """Sorted id records; entries can be removed (a mark each), not added."""

    def __init__(self, records: bytes = b"", partitions: Iterable[int] = ()) -> None:
        """``records`` sorted, of ``partitions`` (all the partitions they hold)."""
        if len(records) % RECORD.size:
            raise ValueError(f"frozen ids: {len(records)} bytes is not a whole number of records")
        self.records = records
        self.partitions = set(partitions)
        self._ids = _Ids(records)
        self._count = len(self._ids)
        self._removed = bytearray(self._count)
        self.live = self._count  # entries not removed

    def dump(self, partitions: set[int], more: list[bytes]) -> Frozen:
        """The live entries of ``partitions`` and ``more`` records (of ``partitions``), as a
        snapshot keeps them."""
        more.sort()
        if self.live == self._count and self.partitions <= partitions:
            mine = self.records  # all of them: no need to take them apart
        else:
            mine = b"".join(self.records_of(partitions))
        records = _merged(mine, more)
        held = self.partitions & partitions
        held.update(int.from_bytes(end, "little", signed=True) for end in {record[-4:] for record in more})
        return sorted(held), records

    @classmethod
    def load(cls, frozen: Frozen) -> FrozenIds:
        partitions, records = frozen
        return cls(records, partitions)

    def __len__(self) -> int:
        return self.live

    def find(self, raw: bytes) -> int | None:
        """The index of the entry for id ``raw``, None if there is none (or it was removed)."""
        if not self.live:
            return None
        index = bisect_left(self._ids, raw)
        if index < self._count and not self._removed[index] and self._ids[index] == raw:
            return index
        return None

    def entry(self, index: int) -> tuple[bytes, int, int]:
        """(id bytes, stamp, partition) of the entry at ``index``."""
        return RECORD.unpack_from(self.records, index * RECORD.size)

    def remove(self, index: int) -> None:
        if not self._removed[index]:
            self._removed[index] = 1
            self.live -= 1

    def keep_partitions(self, partitions: set[int]) -> None:
        """Remove the entries of every other partition (a rebalance took them elsewhere)."""
        if self.partitions <= partitions:
            return  # the usual start: a worker keeps what it had
        for index, _, _, partition in self.entries():
            if partition not in partitions:
                self.remove(index)
        self.partitions &= partitions

    def entries(self, start: int = 0, stop: int | None = None) -> Iterator[tuple[int, bytes, int, int]]:
        """(index, id bytes, stamp, partition) of the entries not removed, from ``start`` to
        ``stop`` (indexes, not counts of live entries)."""
        stop = self._count if stop is None else min(stop, self._count)
        view = memoryview(self.records)[start * RECORD.size : stop * RECORD.size]
        removed = self._removed
        for index, (raw, stamp, partition) in enumerate(RECORD.iter_unpack(view), start):
            if not removed[index]:
                yield index, raw, stamp, partition

    @property
    def span(self) -> int:
        """Indexes of entries, removed ones included: where a sweep over them ends."""
        return self._count

    def records_of(self, partitions: set[int]) -> Iterator[bytes]:
        """The records of live entries in ``partitions``, sorted."""
        size = RECORD.size
        for index, _, _, partition in self.entries():
            if partition in partitions:
                yield self.records[index * size : (index + 1) * size]
