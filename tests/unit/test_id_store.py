"""Processed event ids: loaded from a snapshot as sorted records, not a dict; found, expired and
handed over like any table entry."""

from __future__ import annotations

import asyncio
import uuid
from types import SimpleNamespace

import faust
import pytest
from faust.types import TP

from streams.frozen_ids import RECORD, FrozenIds, id_bytes, id_text
from streams.id_store import ID_STORE, IdStore
from streams.packed_store import PACKED_STORE, PackedStore, PlacedTable
from streams.retention import Purger, stamped
from streams.runtime import TABLE_SCHEMA
from streams.table_snapshot import SnapshotPlace, keep_snapshots


def ids(count: int, seed: int = 0) -> list[str]:
    return [str(uuid.UUID(int=(seed << 64) + n * 7919 + 1)) for n in range(count)]


def test_only_a_uuid_in_its_canonical_text_is_held_as_bytes():
    key = str(uuid.uuid4())
    assert id_text(id_bytes(key)) == key
    for other in (key.upper(), key.replace("-", ""), f"{{{key}}}", "E-1", "", 7, key[:-1] + " "):
        assert id_bytes(other) is None


def test_faust_finds_the_store_by_its_url():
    assert faust.stores.by_url(ID_STORE) is IdStore


def test_a_processed_table_gets_the_store_not_the_apps_default():
    app = faust.App("stores", broker="kafka://localhost:1", store=PACKED_STORE, Table=PlacedTable)
    assert isinstance(app.Table("t-processed", schema=TABLE_SCHEMA, store=ID_STORE).data, IdStore)
    assert type(app.Table("cases", schema=TABLE_SCHEMA).data) is PackedStore


def store_of(app) -> IdStore:
    return IdStore(url=ID_STORE, app=app, table=None, table_name="tracker-processed")


def saved_and_restarted(tmp_path, entries: dict[str, tuple[dict, int]], partitions: set[int]) -> IdStore:
    app = type("App", (), {})()  # weakly referenced, as faust's app is
    keep_snapshots(app, SnapshotPlace(tmp_path, lambda: "cluster"))
    store = store_of(app)
    for offset, (key, (value, partition)) in enumerate(entries.items()):
        store.data[key] = value
        store.placed(key, partition, deleted=False)
        store.set_persisted_offset(TP("t", partition), offset)
    store.save_snapshot(partitions)
    restarted = store_of(app)
    restarted.persisted_offset(TP("t", 0))  # recovery begins: the snapshot is loaded
    return restarted


def test_processed_ids_come_back_from_a_snapshot_as_records_not_as_a_dict(tmp_path):
    keys = ids(300)
    entries = {key: (stamped({}, n % 3, at=1_000 + n), n % 3) for n, key in enumerate(keys)}
    entries["not-a-uuid"] = (stamped({}, 0, at=5), 0)
    entries[ids(1, seed=9)[0]] = ({"status": "closed"}, 1)  # not a bare stamp
    restarted = saved_and_restarted(tmp_path, entries, {0, 1, 2})

    assert set(restarted.data.packed) == {"not-a-uuid", ids(1, seed=9)[0]}  # the rest are records
    assert len(restarted.data.frozen.records) == 300 * 28
    assert dict(restarted.data.items()) == {key: value for key, (value, _) in entries.items()}
    assert restarted.data.get(ids(1, seed=5)[0]) is None and ids(1, seed=5)[0] not in restarted.data
    assert len(restarted.data) == 302


def test_only_the_saved_partitions_are_kept_and_a_rebalance_drops_the_others(tmp_path):
    keys = ids(30)
    entries = {key: (stamped({}, n % 3, at=n), n % 3) for n, key in enumerate(keys)}
    restarted = saved_and_restarted(tmp_path, entries, {0, 1})  # partition 2 went elsewhere
    assert set(restarted.data) == {key for n, key in enumerate(keys) if n % 3 != 2}

    asyncio.run(restarted.on_recovery_completed({TP("t", 1)}, set()))  # and now 0 went too
    assert set(restarted.data) == {key for n, key in enumerate(keys) if n % 3 == 1}
    assert restarted.data.frozen.partitions == {1}


def test_writes_and_deletions_after_the_start_go_into_the_next_snapshot(tmp_path):
    keys = ids(20)
    entries = {key: (stamped({}, 0, at=n), 0) for n, key in enumerate(keys)}
    restarted = saved_and_restarted(tmp_path, entries, {0})
    newer = ids(3, seed=1)
    for key in newer:
        restarted.data[key] = stamped({}, 0, at=99)
        restarted.placed(key, 0, deleted=False)
    restarted.data[keys[0]] = stamped({}, 0, at=500)  # written again: the dict's entry wins
    restarted.placed(keys[0], 0, deleted=False)
    del restarted.data[keys[1]]
    restarted.placed(keys[1], 0, deleted=True)
    with pytest.raises(KeyError):
        del restarted.data["never-there"]
    assert restarted.data[keys[0]] == stamped({}, 0, at=500) and keys[1] not in restarted.data
    expected = dict(restarted.data.items())
    assert len(expected) == 22

    restarted.save_snapshot({0})
    again = store_of(restarted.app)
    again.persisted_offset(TP("t", 0))
    assert dict(again.data.items()) == expected and not again.data.packed


def test_a_changelog_tombstone_for_a_frozen_id_removes_it(tmp_path):
    keys = ids(5)
    restarted = saved_and_restarted(tmp_path, {key: (stamped({}, 0, at=1), 0) for key in keys}, {0})

    def record(key, value):
        return SimpleNamespace(
            key=key, value=value, message=SimpleNamespace(partition=0, offset=50, value=value)
        )

    batch = [record(keys[2], None), record(ids(1, seed=3)[0], stamped({}, 0, at=7))]
    restarted.apply_changelog_batch(batch, to_key=lambda k: k, to_value=lambda v: v)
    assert keys[2] not in restarted.data and ids(1, seed=3)[0] in restarted.data
    assert len(restarted.data) == 5


class TableOver:
    """A table whose data is a store; it records the tombstones a purge writes."""

    name = "tracker-processed"

    def __init__(self, store):
        self.data, self.tombstones = store, []

    def send_changelog(self, partition, key, value, value_serializer=None):
        self.tombstones.append((partition, key, value))


def test_frozen_ids_past_the_retention_expire_in_bounded_steps_with_their_tombstones(tmp_path):
    old, young = ids(12), ids(4, seed=2)
    entries = {key: (stamped({}, n % 2, at=0), n % 2) for n, key in enumerate(old)}
    entries.update({key: (stamped({}, 0), 0) for key in young})
    restarted = saved_and_restarted(tmp_path, entries, {0, 1})
    late = ids(1, seed=4)[0]
    restarted.data[late] = stamped({}, 1, at=0)  # written since the start, in the dict
    restarted.placed(late, 1, deleted=False)
    table = TableOver(restarted)
    purger = Purger(table, retention_millis=60_000, step_entries=5)

    removed = [purger.step({0, 1})]
    while purger._sweeping():
        removed.append(purger.step({0, 1}))
    assert removed[0] == 5 and len(removed) == 4  # 17 entries, 5 read per step
    assert set(restarted.data) == set(young)
    assert sorted(table.tombstones) == sorted(
        [(n % 2, key, None) for n, key in enumerate(old)] + [(1, late, None)]
    )


def frozen_of(entries) -> FrozenIds:
    """Records of (id bytes, stamp, partition) entries, in any order, as a snapshot brings them."""
    return FrozenIds.load(FrozenIds().dump(set(), [RECORD.pack(*entry) for entry in entries]))


def test_a_frozen_set_finds_each_id_and_nothing_else():
    keys = ids(1_000)
    frozen = frozen_of((id_bytes(key), n, n % 4) for n, key in enumerate(keys))
    assert all(
        frozen.entry(frozen.find(id_bytes(key))) == (id_bytes(key), n, n % 4) for n, key in enumerate(keys)
    )
    assert frozen.find(id_bytes(ids(1, seed=8)[0])) is None
    frozen.remove(frozen.find(id_bytes(keys[10])))
    assert frozen.find(id_bytes(keys[10])) is None and len(frozen) == 999
    frozen.keep_partitions({1, 2})
    assert len(frozen) == 500 - (10 % 4 in {1, 2}) and frozen.partitions == {1, 2}


def test_records_saved_again_are_the_live_ones_and_the_new_ones_in_order():
    keys, newer = ids(50), ids(20, seed=6)
    frozen = frozen_of((id_bytes(key), n, n % 2) for n, key in enumerate(keys))
    more = [RECORD.pack(id_bytes(key), 100 + n, 2) for n, key in enumerate(newer)]
    partitions, records = frozen.dump({0, 1, 2}, list(more))  # nothing removed: taken whole
    again = FrozenIds.load((partitions, records))
    assert partitions == [0, 1, 2] and len(again) == 70
    assert [entry[1:] for entry in again.entries()] == sorted(
        [(id_bytes(key), n, n % 2) for n, key in enumerate(keys)]
        + [(id_bytes(key), 100 + n, 2) for n, key in enumerate(newer)]
    )
    frozen.remove(frozen.find(id_bytes(keys[3])))
    partitions, records = frozen.dump({1}, list(more[:1]))  # taken apart: one removed, one partition
    assert partitions == [1, 2] and len(FrozenIds.load((partitions, records))) == 25 - 1 + 1
