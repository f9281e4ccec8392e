"""faust's in-memory table store, holding each value packed into one bytes object.

A case's state decoded from JSON is a tree of dicts, lists, strings and ints: about 4 KB in memory
for 1 KB of JSON. Packed with ``marshal`` (and ``zlib`` once it is large enough to gain from it)
the same state takes about 500 bytes, and a processed event id's stamp under 100. A read unpacks a
fresh copy, so a handler changing what it read changes nothing until it writes it back.

The changelog is unchanged (JSON, written by the table's serializer): packing is in memory only,
so ``marshal``'s format, which belongs to the Python version, never leaves the process.
"""

from __future__ import annotations

import marshal
import zlib
from collections.abc import Iterator, MutableMapping
from typing import Any

from faust.stores import STORES
from faust.stores.memory import Store

# Packed values of at least this many bytes are compressed too; below it zlib's own header and
# its per-call cost outweigh what it saves.
COMPRESS_FROM = 256
_PLAIN, _COMPRESSED = b"m", b"z"


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
        self._packed: dict[Any, bytes] = {}

    def __getitem__(self, key: Any) -> Any:
        return unpack(self._packed[key])

    def __setitem__(self, key: Any, value: Any) -> None:
        self._packed[key] = pack(value)

    def __delitem__(self, key: Any) -> None:
        del self._packed[key]

    def __contains__(self, key: object) -> bool:
        return key in self._packed  # no unpacking to answer "is it there"

    def __iter__(self) -> Iterator[Any]:
        return iter(self._packed)

    def __len__(self) -> int:
        return len(self._packed)

    def clear(self) -> None:
        self._packed.clear()


class PackedStore(Store):
    """The memory store with packed values (``store="packed://"``)."""

    def __post_init__(self) -> None:
        super().__post_init__()
        self.data = PackedMapping()


# The store's URL for faust.App(store=...) and Table(store=...).
PACKED_STORE = "packed://"
STORES.aliases.setdefault("packed", f"{__name__}:PackedStore")
