"""faust's in-memory table store, holding each value packed into one bytes object.

A case's state decoded from JSON is a tree of dicts, lists, strings and ints: about 4 KB in memory
for 1 KB of JSON. Packed with ``marshal`` (and ``zlib`` once it is large enough to gain from it)
the same state takes about 500 bytes, and a processed event id's stamp under 100. A read unpacks a
fresh copy, so a handler changing what it read changes nothing until it writes it back.

The changelog is unchanged (JSON, written by the table's serializer): packing is in memory only,
so ``marshal``'s format, which belongs to the Python version, never leaves the host.

The store also knows which changelog partition each key is in and which changelog offset each
partition's state reached, so a worker that stops cleanly can save its tables and the next start
replays only what came after (streams/table_snapshot.py); and after a rebalance it replays each
partition it kept from where it was, not from the start.
"""

from __future__ import annotations

import asyncio
import logging
import marshal
import zlib
from collections.abc import Callable, Iterable, Iterator, MutableMapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import faust
from faust.stores import STORES
from faust.stores.memory import Store
from faust.types import TP, EventT

from streams import table_snapshot
from streams.current_record import CURRENT_SOURCE
from streams.frozen_ids import NO_FROZEN, Frozen
from streams.table_snapshot import Snapshot

log = logging.getLogger(__name__)

# Packed values of at least this many bytes are compressed too; below it zlib's own header and
# its per-call cost outweigh what it saves.
COMPRESS_FROM = 256
_PLAIN, _COMPRESSED = b"m", b"z"
# Keys placed at once (PackedStore._place_batch): about 10 ms of the worker's event loop.
LOAD_BATCH = 20_000
# Seconds after a snapshot's loading its keys begin to be placed (see PackedStore._loaded_keys):
# by then the worker has started and placing them does not hold its start up.
PLACE_AFTER_SECONDS = 10.0


def pack(value: Any) -> bytes:
    packed = marshal.dumps(value)
    if len(packed) < COMPRESS_FROM:
        return _PLAIN + packed
    return _COMPRESSED + zlib.compress(packed, 1)


def unpack(packed: bytes) -> Any:
    if packed[:1] == _COMPRESSED:
        return marshal.loads(zlib.decompress(memoryview(packed)[1:]))
    return marshal.loads(memoryview(packed)[1:])


class PackedMapping(MutableMapping[Any, Any]):
    """A dict whose values are kept packed; reads return unpacked copies."""

    def __init__(self) -> None:
        self.packed: dict[Any, bytes] = {}

    def __getitem__(self, key: Any) -> Any:
        return unpack(self.packed[key])

    def __setitem__(self, key: Any, value: Any) -> None:
        self.packed[key] = pack(value)

    def __delitem__(self, key: Any) -> None:
        del self.packed[key]

    def __contains__(self, key: object) -> bool:
        return key in self.packed  # no unpacking to answer "is it there"

    def __iter__(self) -> Iterator[Any]:
        return iter(self.packed)

    def __len__(self) -> int:
        return len(self.packed)

    def clear(self) -> None:
        self.packed.clear()


class PackedStore(Store):
    """The memory store with packed values, key partitions and offsets (``store="packed://"``)."""

    def __post_init__(self) -> None:
        super().__post_init__()
        self.data = PackedMapping()
        # Changelog partition -> offset of the last record this store's state holds.
        self._offsets: dict[int, int] = {}
        self._restored = False
        self._recovered = 0  # changelog records read since the last recovery ended
        # Keys a snapshot brought, by partition, until they are placed in ``_key_partition``:
        # a batch at a time once the worker runs, as placing millions of processed ids held a
        # start up for most of a second. Keys written since are placed there already; saving
        # and rebalancing read both.
        self._loaded_keys: dict[int, list[Any]] = {}

    # -- where each key is, as the table writes it (PlacedTable) and recovery reads it

    def placed(self, key: Any, partition: int, *, deleted: bool) -> None:
        if deleted:
            self._key_partition.pop(key, None)
        else:
            self._key_partition[key] = partition

    def apply_changelog_batch(
        self, batch: Iterable[EventT], to_key: Callable[[Any], Any], to_value: Callable[[Any], Any]
    ) -> None:
        events = list(batch)
        super().apply_changelog_batch(events, to_key, to_value)
        self._recovered += len(events)
        for event in events:
            self._reached(event.message.partition, event.message.offset)

    # -- offsets: faust starts reading a changelog partition after the offset returned here

    def set_persisted_offset(self, tp: TP, offset: int) -> None:
        self._reached(tp.partition, offset)  # a changelog record of ours was acknowledged

    def persisted_offset(self, tp: TP) -> int | None:
        if not self._restored:
            self._restore()
        return self._offsets.get(tp.partition)

    def _reached(self, partition: int, offset: int) -> None:
        if offset > self._offsets.get(partition, -1):
            self._offsets[partition] = offset

    async def on_recovery_completed(self, active_tps: set[TP], standby_tps: set[TP]) -> None:
        await super().on_recovery_completed(active_tps, standby_tps)  # drops others' keys
        mine = {tp.partition for tp in active_tps}  # as faust's own keeps them
        for partition in set(self._loaded_keys) - mine:
            for key in self._loaded_keys.pop(partition):
                if key not in self._key_partition:
                    self.data.packed.pop(key, None)
        log.info("%s: %d changelog records read in recovery", self.table_name, self._recovered)
        self._recovered = 0
        kept = {tp.partition for tp in active_tps | standby_tps}
        for partition in set(self._offsets) - kept:
            del self._offsets[partition]  # read again from the start if it comes back

    # -- snapshots

    def snapshot_path(self) -> Path | None:
        directory = table_snapshot.snapshot_directory(self.app)
        return None if directory is None else directory / f"{self.table_name}{table_snapshot.SUFFIX}"

    def save_snapshot(self, partitions: set[int]) -> int | None:
        """Save the state of ``partitions`` with the offsets it reached; the number of keys saved,
        None where the worker keeps no snapshots."""
        path = self.snapshot_path()
        if path is None:
            return None
        snapshot = self.snapshot(partitions)
        table_snapshot.save(path, snapshot)
        return len(snapshot)

    def snapshot(self, partitions: set[int]) -> Snapshot:
        """The state of ``partitions`` as a snapshot holds it."""
        offsets = {p: o for p, o in self._offsets.items() if p in partitions}
        return Snapshot(offsets, self._columns(partitions))

    def _columns(self, partitions: set[int]) -> dict[int, tuple[list[Any], list[bytes]]]:
        """Keys and packed values of ``partitions``, by partition."""
        grouped: dict[int, tuple[list[Any], list[bytes]]] = {p: ([], []) for p in partitions}
        packed, placed = self.data.packed, self._key_partition
        for partition, keys in self._loaded_keys.items():
            if (columns := grouped.get(partition)) is not None:
                for key in keys:  # those placed since come next
                    if key not in placed and (value := packed.get(key)) is not None:
                        columns[0].append(key)
                        columns[1].append(value)
        for key, partition in placed.items():
            if (columns := grouped.get(partition)) is not None and (value := packed.get(key)) is not None:
                columns[0].append(key)
                columns[1].append(value)
        return grouped

    def _restore(self) -> None:
        self._restored = True
        loaded = table_snapshot.load(self.app, self.table_name, Loaded.of)
        if loaded is not None:
            self._take_over(loaded)
            name, keys = self.table_name, len(self.data)
            log.info("%s: %d keys loaded from its snapshot, offsets %s", name, keys, loaded.offsets)

    def _take_over(self, loaded: Loaded) -> None:
        if self.data.packed:  # never so far: a store is restored before its first record
            self.data.packed.update(loaded.packed)
        else:  # millions of keys: taken over, not copied
            self.data.packed = loaded.packed
        self._loaded_keys = loaded.keys
        if self._loaded_keys:
            try:
                asyncio.get_running_loop().call_later(PLACE_AFTER_SECONDS, self._place_loaded)
            except RuntimeError:  # no worker running: place them now
                self._place_loaded()
        self._offsets.update(loaded.offsets)

    def _place_loaded(self) -> None:
        """Place a batch of the snapshot's keys, the next batch after whatever else the worker has
        ready (all of them now where no event loop runs)."""
        self._place_batch()
        if not self._loaded_keys:
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            while self._loaded_keys:
                self._place_batch()
        else:
            loop.call_soon(self._place_loaded)

    def _place_batch(self) -> None:
        placed, packed = self._key_partition, self.data.packed
        budget = LOAD_BATCH
        while self._loaded_keys and budget > 0:
            partition, keys = next(iter(self._loaded_keys.items()))
            batch = keys[-budget:]
            del keys[-budget:]
            budget -= len(batch)
            if not keys:
                del self._loaded_keys[partition]
            for key in batch:
                if key in packed and key not in placed:  # not deleted, not written since
                    placed[key] = partition


@dataclass
class Loaded:
    """A snapshot as a store takes it over: its values, the keys of each partition, the offsets."""

    packed: dict[Any, bytes]
    keys: dict[int, list[Any]]
    offsets: dict[int, int]
    frozen: Frozen = NO_FROZEN  # event ids as records (streams/id_store.py)

    @classmethod
    def of(cls, snapshot: Snapshot) -> Loaded:
        packed: dict[Any, bytes] = {}
        for keys, values in snapshot.partitions.values():
            packed.update(zip(keys, values, strict=True))
        keys_by_partition = {partition: keys for partition, (keys, _) in snapshot.partitions.items()}
        return cls(packed, keys_by_partition, snapshot.offsets, snapshot.frozen)


class PlacedTable(faust.Table):
    """A faust table that tells its store which changelog partition each write went to, and
    knows which of its changelog writes the broker has not acknowledged yet (a commit waits for
    them: streams/acknowledged_producer.py)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.unacknowledged: set[asyncio.Future[Any]] = set()
        self.write_failed: BaseException | None = None  # set, nothing may be committed again

    def partition_for_key(self, key: Any) -> int | None:
        """The changelog partition of a write: the partition of the record the agent processes
        (streams/current_record.py), as faust's own rule does for the one record a stream hands out."""
        source = CURRENT_SOURCE.get()
        if source is None:
            return super().partition_for_key(key)
        self._verify_source_topic_partitions(source.topic)
        return source.partition

    def send_changelog(self, partition: int | None, key: Any, value: Any, *args: Any, **kwargs: Any) -> Any:
        sent = super().send_changelog(partition, key, value, *args, **kwargs)
        if isinstance(self.data, PackedStore):
            self.data.placed(key, sent.message.partition, deleted=value is None)
        self.unacknowledged.add(sent)
        sent.add_done_callback(self._acknowledged)
        return sent

    def _acknowledged(self, sent: asyncio.Future[Any]) -> None:
        self.unacknowledged.discard(sent)
        if not sent.cancelled() and (exc := sent.exception()) is not None:
            self.write_failed = exc


def save_snapshots(app: faust.App) -> None:
    """Save every packed table's state of this worker's partitions (on a clean stop, flushed)."""
    partitions = {tp.partition for tp in app.assignor.assigned_actives()}
    for table in app.tables.values():
        if isinstance(table.data, PackedStore):
            saved = table.data.save_snapshot(partitions)
            if saved is not None:
                log.info("%s: %d keys saved for the next start", table.name, saved)


# The store's URL for faust.App(store=...) and Table(store=...).
PACKED_STORE = "packed://"
STORES.aliases.setdefault("packed", f"{__name__}:PackedStore")
