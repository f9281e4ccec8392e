"""Table values held packed in memory: the same values back, as copies, in less space."""

from __future__ import annotations

import asyncio
import json
import marshal

import faust.stores
from faust.types import TP
from hypothesis import given
from hypothesis import strategies as st

from streams import packed_store
from streams.packed_store import (
    COMPRESS_FROM,
    PACKED_STORE,
    Loaded,
    PackedMapping,
    PackedStore,
    pack,
    unpack,
)
from streams.table_snapshot import Snapshot, SnapshotPlace, keep_snapshots

# What a table's JSON changelog can hold, so what a recovered table value can be.
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(), children, max_size=4),
    max_leaves=40,
)


@given(JSON_VALUES)
def test_any_json_value_comes_back_equal(value):
    assert unpack(pack(value)) == value


def test_a_large_value_is_compressed_and_a_small_one_is_not():
    state = {"matter_due": {f"market_regulation.matter_{n}": 1_796_129_397_862 + n for n in range(20)}}
    assert len(json.dumps(state)) > COMPRESS_FROM
    assert len(pack(state)) < len(json.dumps(state)) / 2
    small = {"at": 1_796_129_397_862, "p": 2}
    assert pack(small)[1:] == marshal.dumps(small)


def test_a_read_is_a_copy_so_only_a_write_changes_the_table():
    table = PackedMapping()
    table["C-1"] = {"done": ["licence"]}
    table["C-1"]["done"].append("permit")
    assert table["C-1"] == {"done": ["licence"]}
    state = table["C-1"]
    state["done"].append("permit")
    table["C-1"] = state
    assert table["C-1"] == {"done": ["licence", "permit"]}


def test_it_behaves_as_a_dict():
    table = PackedMapping()
    table.update({"a": 1, "b": [2]})
    assert "a" in table and "z" not in table and len(table) == 2
    assert dict(table.items()) == {"a": 1, "b": [2]}
    assert table.pop("a") == 1 and table.get("a") is None
    table.clear()
    assert not table


def test_faust_finds_the_store_by_its_url():
    assert faust.stores.by_url(PACKED_STORE) is PackedStore


def store_of(app) -> PackedStore:
    return PackedStore(url=PACKED_STORE, app=app, table=None, table_name="cases")


def test_a_store_saves_its_partitions_and_the_next_one_reads_on_from_their_offsets(tmp_path):
    app = type("App", (), {})()
    keep_snapshots(app, SnapshotPlace(tmp_path, lambda: "cluster"))
    store = store_of(app)
    for key, partition, offset in (("C-1", 0, 10), ("C-2", 1, 11), ("C-3", 2, 12), ("C-4", 2, 13)):
        store.data[key] = {"status": "open", "key": key}
        store.placed(key, partition, deleted=False)
        store.set_persisted_offset(TP("onething-cases-changelog", partition), offset)
    store.data.pop("C-3")
    store.placed("C-3", 2, deleted=True)
    assert store.save_snapshot({0, 2}) == 2  # partition 1 went to another worker

    restarted = store_of(app)
    assert restarted.persisted_offset(TP("onething-cases-changelog", 0)) == 10
    assert restarted.persisted_offset(TP("onething-cases-changelog", 2)) == 13
    assert restarted.persisted_offset(TP("onething-cases-changelog", 1)) is None  # from the start
    assert dict(restarted.data.items()) == {
        "C-1": {"status": "open", "key": "C-1"},
        "C-4": {"status": "open", "key": "C-4"},
    }
    assert restarted._key_partition == {"C-1": 0, "C-4": 2}  # a later rebalance can drop them
    assert store_of(app).persisted_offset(TP("onething-cases-changelog", 0)) is None  # used once


def test_a_snapshot_loads_as_one_table_with_its_keys_by_partition():
    keys = [f"E-{n}" for n in range(10)]
    columns = {0: (keys[:7], [pack(n) for n in range(7)]), 1: (keys[7:], [pack(7)] * 3)}
    snapshot = Snapshot({0: 9, 1: 4}, columns)
    loaded = Loaded.of(snapshot)
    assert {key: unpack(value) for key, value in loaded.packed.items()} == {
        **{f"E-{n}": n for n in range(7)},
        **dict.fromkeys(keys[7:], 7),
    }
    assert loaded.keys == {0: keys[:7], 1: keys[7:]}
    assert loaded.offsets == {0: 9, 1: 4}


def test_a_loaded_snapshot_is_placed_in_batches_while_the_worker_runs(tmp_path, monkeypatch):
    """Keys are placed after the start, a batch per loop turn; saving or a rebalance meanwhile
    still sees every key in its partition."""
    monkeypatch.setattr(packed_store, "LOAD_BATCH", 2)
    monkeypatch.setattr(packed_store, "PLACE_AFTER_SECONDS", 0)
    app = type("App", (), {})()
    keep_snapshots(app, SnapshotPlace(tmp_path, lambda: "cluster"))
    store = store_of(app)
    for n in range(9):
        store.data[f"E-{n}"] = {"at": n}
        store.placed(f"E-{n}", n % 3, deleted=False)
    store.save_snapshot({0, 1, 2})
    restarted = store_of(app)

    async def start_then_stop() -> tuple[int, int | None]:
        restarted.persisted_offset(TP("t", 0))  # recovery begins: the snapshot is loaded
        placed_at_start = len(restarted._key_partition)
        restarted.data["E-9"] = {"at": 9}  # the first records come in meanwhile
        restarted.placed("E-9", 0, deleted=False)
        restarted.data.pop("E-3")
        restarted.placed("E-3", 0, deleted=True)
        await asyncio.sleep(0)
        await restarted.on_recovery_completed({TP("t", 0), TP("t", 1)}, set())  # 2 went elsewhere
        saved = restarted.save_snapshot({0, 1})  # a stop before every key is placed
        while restarted._loaded_keys:
            await asyncio.sleep(0)
        return placed_at_start, saved

    placed_at_start, saved = asyncio.run(start_then_stop())
    assert placed_at_start == 0  # placed while the worker runs
    assert saved == 6  # E-0, E-6, E-9 of partition 0 and E-1, E-4, E-7 of partition 1
    assert set(restarted.data) == {"E-0", "E-6", "E-9", "E-1", "E-4", "E-7"}
    assert restarted._key_partition == {"E-0": 0, "E-6": 0, "E-9": 0, "E-1": 1, "E-4": 1, "E-7": 1}


def test_after_a_rebalance_only_kept_partitions_read_on_from_where_they_were():
    store = store_of(type("App", (), {})())
    store.data["C-1"], store.data["C-2"] = {"n": 1}, {"n": 2}
    store.placed("C-1", 0, deleted=False)
    store.placed("C-2", 1, deleted=False)
    store.set_persisted_offset(TP("t", 0), 5)
    store.set_persisted_offset(TP("t", 1), 6)
    asyncio.run(store.on_recovery_completed({TP("t", 0)}, set()))
    assert list(store.data) == ["C-1"]
    assert store.persisted_offset(TP("t", 0)) == 5 and store.persisted_offset(TP("t", 1)) is None
