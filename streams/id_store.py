"""The store of an agent's processed event ids (``store=ID_STORE``, ``ids://memory``).

It is the packed store (streams/packed_store.py) with one difference: the ids a snapshot brought
stay in one sorted bytes object (streams/frozen_ids.py) instead of a dict. After 100,000 cases a
worker's processed-id tables hold over a million ids, and building their dicts was most of what a
start spent beyond the start after 1,000. Ids written since the start are in the dict as before;
a clean stop freezes both. An entry freezes when its key is a UUID in canonical text and its value
a bare stamp (streams/retention.py), which is what every processed id is: the dict holds those as
their records already, so freezing them is a sort. Any other entry stays packed in the dict and in
the snapshot's lists.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from faust.stores import STORES
from faust.types import TP

from streams.frozen_ids import RECORD, FrozenIds, id_bytes, id_text
from streams.packed_store import Loaded, PackedMapping, PackedStore, pack, unpack
from streams.retention import PARTITION, STAMP, stamped
from streams.table_snapshot import Snapshot

# With a host: faust takes a table's store URL only if it is true, and yarl's URL("ids://") is not.
ID_STORE = "ids://memory"
# Marks a dict value that is a frozen record, not a packed value (streams/packed_store.py).
_RECORD = b"r"


class IdMapping(PackedMapping):
    """Packed entries in a dict, and frozen ones searched in their records; a key is in one."""

    def __init__(self) -> None:
        super().__init__()
        self.frozen = FrozenIds()

    def _frozen_index(self, key: Any) -> int | None:
        if not self.frozen.live or (raw := id_bytes(key)) is None:
            return None
        return self.frozen.find(raw)

    def __getitem__(self, key: Any) -> Any:
        packed = self.packed.get(key)
        if packed is not None:
            if packed[:1] == _RECORD:
                _, at, partition = RECORD.unpack_from(packed, 1)
                return stamped({}, partition, at=at)
            return unpack(packed)
        index = self._frozen_index(key)
        if index is None:
            raise KeyError(key)
        _, at, partition = self.frozen.entry(index)
        return stamped({}, partition, at=at)

    def __setitem__(self, key: Any, value: Any) -> None:
        raw = id_bytes(key)  # once per write: the record and the frozen lookup both need it
        record = None if raw is None else as_record(raw, value)
        self.packed[key] = pack(value) if record is None else _RECORD + record
        if raw is not None and (index := self.frozen.find(raw)) is not None:
            self.frozen.remove(index)  # the dict's entry is the one now

    def __delitem__(self, key: Any) -> None:
        index = self._frozen_index(key)
        if index is not None:
            self.frozen.remove(index)
        if self.packed.pop(key, None) is None and index is None:
            raise KeyError(key)

    def __contains__(self, key: object) -> bool:
        return key in self.packed or self._frozen_index(key) is not None

    def __iter__(self) -> Iterator[Any]:
        yield from self.packed
        for _, raw, _, _ in self.frozen.entries():
            yield id_text(raw)

    def __len__(self) -> int:
        return len(self.packed) + self.frozen.live

    def clear(self) -> None:
        super().clear()
        self.frozen = FrozenIds()


class IdStore(PackedStore):
    def __post_init__(self) -> None:
        super().__post_init__()
        self.data: IdMapping = IdMapping()

    @property
    def frozen_ids(self) -> FrozenIds:
        return self.data.frozen

    def recent_keys(self) -> list[Any]:
        """The keys held in the dict: written since the start, or not freezable."""
        return list(self.data.packed)

    def snapshot(self, partitions: set[int]) -> Snapshot:
        snapshot = super().snapshot(partitions)
        records: list[bytes] = []
        for partition, (keys, values) in snapshot.partitions.items():
            kept: tuple[list[Any], list[bytes]] = ([], [])
            ending = _ending(partition)
            for key, value in zip(keys, values, strict=True):
                if value[:1] == _RECORD and value.endswith(ending):
                    records.append(value[1:])
                else:
                    kept[0].append(key)
                    kept[1].append(value)
            snapshot.partitions[partition] = kept
        snapshot.frozen = self.data.frozen.dump(partitions, records)
        return snapshot

    def _take_over(self, loaded: Loaded) -> None:
        super()._take_over(loaded)
        self.data.frozen = FrozenIds.load(loaded.frozen)

    async def on_recovery_completed(self, active_tps: set[TP], standby_tps: set[TP]) -> None:
        await super().on_recovery_completed(active_tps, standby_tps)
        self.data.frozen.keep_partitions({tp.partition for tp in active_tps})


def as_record(raw: bytes, value: Any) -> bytes | None:
    """The frozen record of the id ``raw``'s value, if one can hold all of it: a bare stamp."""
    if not isinstance(value, dict) or value.keys() != {STAMP, PARTITION}:
        return None
    at, partition = value[STAMP], value[PARTITION]
    if type(at) is not int or type(partition) is not int or not 0 <= at < 2**63 or not 0 <= partition < 2**31:
        return None
    return RECORD.pack(raw, at, partition)


def _ending(partition: int) -> bytes:
    """How a record of ``partition`` ends."""
    return RECORD.pack(bytes(16), 0, partition)[-4:]


STORES.aliases.setdefault("ids", f"{__name__}:IdStore")
