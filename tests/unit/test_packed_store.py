"""Table values held packed in memory: the same values back, as copies, in less space."""

from __future__ import annotations

import json
import marshal

import faust.stores
from hypothesis import given
from hypothesis import strategies as st

from streams.packed_store import COMPRESS_FROM, PACKED_STORE, PackedMapping, PackedStore, pack, unpack

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
