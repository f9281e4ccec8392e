"""Avro binary decoders compiled per schema: one function ``bytes -> record`` for each contract.

The reading counterpart of streams/avro_writer.py: the schema becomes straight-line Python once,
each field a few lines that take its bytes at a running position, with one-byte lengths, small
ints and enum symbols looked up in precomputed tables. It returns what
``fastavro.schemaless_reader`` returns for the same schema read as its own reader schema: dicts
for records, symbols for enums, lists for arrays, aware UTC datetimes for timestamp-millis, dates
for date, uuid.UUID for a uuid string.

It reads only with the writer's schema (no schema resolution): the codec uses it for the schema
ids of its own contracts and fastavro for every other revision. Bytes that do not fit the schema
raise (IndexError, ValueError, UnicodeDecodeError, struct.error), never hang: an array count is
checked against the bytes left. Constructs the writer does not support raise UnsupportedSchema.
"""

from __future__ import annotations

import itertools
import struct
import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any, NoReturn

from streams.avro_codegen import (
    PRIMITIVES,
    NamedTypes,
    Place,
    UnsupportedSchema,
    function,
    kind_of,
    null_and_other,
    refuse_other_primitives,
)

Reader = Callable[[bytes | bytearray | memoryview], Any]
__all__ = ["Reader", "UnsupportedSchema", "compile_reader"]

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_EPOCH_DAY = date(1970, 1, 1).toordinal()
# What one byte means when it is a whole varint (below 0x80): a signed value, a length (even
# bytes only: an odd one is negative), or None where the slow path must decide.
_SIGNED = tuple(z >> 1 ^ -(z & 1) if z < 0x80 else None for z in range(256))
_LENGTHS = tuple(z >> 1 if z < 0x80 and not z & 1 else None for z in range(256))


def _long(data: bytes, p: int) -> tuple[int, int]:
    """The zigzag varint at ``p`` and the position after it."""
    byte = data[p]
    if byte < 0x80:
        return byte >> 1 ^ -(byte & 1), p + 1
    z, shift = byte - 0x80, 7
    while True:
        p += 1
        byte = data[p]
        if byte < 0x80:
            z += byte << shift
            if z >> 64:
                raise ValueError("a varint past 64 bits")
            return z >> 1 ^ -(z & 1), p + 1
        z += byte - 0x80 << shift
        shift += 7
        if shift > 63:
            raise ValueError("a varint past 64 bits")


def _length(data: bytes, p: int) -> tuple[int, int]:
    """A length past the one-byte table: two bytes for up to 8191, most strings of Chinese text."""
    first, second = data[p], data[p + 1]
    if first >= 0x80 and second < 0x80 and not first & 1:
        return (first - 0x80 >> 1) + (second << 6), p + 2
    n, p = _long(data, p)
    if n < 0:
        raise ValueError(f"negative length {n}")
    return n, p


def _count(data: bytes, p: int) -> tuple[int, int]:
    """An array block's item count; a negative count is followed by the block's size in bytes."""
    n, p = _long(data, p)
    if n < 0:
        n = -n
        _, p = _long(data, p)
    # Every item takes a byte at least (the compiler refuses items that may take none).
    if n > len(data) - p:
        raise ValueError(f"{n} items cannot fit in the {len(data) - p} bytes left")
    return n, p


def _symbol(data: bytes, p: int, symbols: tuple[str, ...]) -> tuple[str, int]:
    index, p = _long(data, p)
    if not 0 <= index < len(symbols):
        raise ValueError(f"enum index {index} is not one of {len(symbols)} symbols")
    return symbols[index], p


def _no_branch(byte: int) -> NoReturn:
    raise ValueError(f"union branch byte {byte} is not one of the union's")


def _truncated(end: int, size: int) -> NoReturn:
    raise ValueError(f"the record needs {end} bytes, the body has {size}")


_RUNTIME: dict[str, Any] = {
    "SIGNED": _SIGNED,
    "LENGTHS": _LENGTHS,
    "BOOLEANS": (False, True),
    "read_long": _long,
    "read_length": _length,
    "read_count": _count,
    "read_symbol": _symbol,
    "utf8": bytes.decode,
    "unpack_double": struct.Struct("<d").unpack_from,
    "EPOCH": _EPOCH,
    "EPOCH_DAY": _EPOCH_DAY,
    "timedelta": timedelta,
    "from_ordinal": date.fromordinal,
    "UUID": uuid.UUID,
    "no_branch": _no_branch,
    "truncated": _truncated,
}


def compile_reader(schema: Any) -> Reader:
    """A function reading a value of ``schema`` (Avro JSON as parsed from an .avsc) from bytes
    written with that same schema; UnsupportedSchema for a schema it cannot read."""
    return _Compiler().build(schema)


class _Compiler:
    def __init__(self) -> None:
        self._lines: list[str] = []
        self._constants: dict[str, Any] = {}
        self._named = NamedTypes()
        self._locals = itertools.count(1)
        self._reads = 0  # lines that take bytes, to tell items that may take none

    def build(self, schema: Any) -> Reader:
        result = self._value(schema, Place(1, "", ""))
        head = ["def read(data):", "    data = bytes(data)", "    p = 0"]
        # A string cut short by the end of the body reads short without an error: check the end.
        tail = ["    if p > len(data): truncated(p, len(data))", f"    return {result}"]
        source = "\n".join([*head, *self._lines, *tail]) + "\n"
        name = schema.get("name", "") if isinstance(schema, dict) else ""
        return function(source, "read", {**_RUNTIME, **self._constants}, f"avro reader {name}")

    def _emit(self, at: Place, code: str) -> None:
        self._lines.append("    " * at.indent + code)

    def _constant(self, value: Any) -> str:
        name = f"K{len(self._constants) + 1}"
        self._constants[name] = value
        return name

    def _local(self, stem: str) -> str:
        return f"{stem}{next(self._locals)}"

    def _value(self, schema: Any, at: Place) -> str:
        """Lines reading a value of ``schema`` at position p; returns the local that holds it."""
        if isinstance(schema, list):
            return self._union(schema, at)
        if isinstance(schema, dict):
            return self._complex(schema, at)
        if schema in PRIMITIVES:
            return self._primitive(schema, at)
        refuse_other_primitives(schema, at)
        named, at = self._named.resolve(schema, at)
        return self._complex(named, at)

    def _complex(self, schema: dict[str, Any], at: Place) -> str:
        kind, logical = kind_of(schema, at)
        if logical is not None:
            plain, value = self._primitive(kind, at), self._local("t")
            if logical == "timestamp-millis":
                self._emit(at, f"{value} = EPOCH + timedelta(0, 0, 0, {plain})")
            elif logical == "date":
                self._emit(at, f"{value} = from_ordinal({plain} + EPOCH_DAY)")
            else:
                self._emit(at, f"{value} = UUID({plain})")
            return value
        if kind == "record":
            return self._record(schema, at)
        if kind == "enum":
            return self._enum(schema, at)
        if kind == "array":
            return self._array(schema, at)
        return self._value(kind, at)

    def _primitive(self, kind: str, at: Place) -> str:
        if kind == "null":
            return "None"
        value = self._local("v")
        self._reads += 1
        if kind == "string":
            self._emit(at, "n = LENGTHS[data[p]]")
            self._emit(at, "if n is None: n, p = read_length(data, p)")
            self._emit(at, "else: p += 1")
            self._emit(at, f"{value} = utf8(data[p:p + n])")
            self._emit(at, "p += n")
        elif kind in ("long", "int"):
            self._emit(at, f"{value} = SIGNED[data[p]]")
            self._emit(at, f"if {value} is None: {value}, p = read_long(data, p)")
            self._emit(at, "else: p += 1")
        elif kind == "double":
            self._emit(at, f"{value}, = unpack_double(data, p)")
            self._emit(at, "p += 8")
        else:  # boolean: a byte that is 0 or 1
            self._emit(at, f"{value} = BOOLEANS[data[p]]")
            self._emit(at, "p += 1")
        return value

    def _union(self, branches: list[Any], at: Place) -> str:
        null, other = null_and_other(branches, at)
        value, byte = self._local("u"), self._local("b")
        self._reads += 1
        self._emit(at, f"{byte} = data[p]")
        self._emit(at, "p += 1")
        if null is not None:
            self._emit(at, f"if {byte} == {null * 2}: {value} = None")
        if other is not None:
            self._emit(at, f"{'if' if null is None else 'elif'} {byte} == {other * 2}:")
            self._emit(at.deeper(), f"{value} = {self._value(branches[other], at.deeper())}")
        self._emit(at, f"else: no_branch({byte})")
        return value

    def _record(self, schema: dict[str, Any], at: Place) -> str:
        full, inner = self._named.define(schema, at)
        self._named.open(full, at)
        fields = [
            f"{field['name']!r}: {self._value(field['type'], at.field(field['name'], inner))}"
            for field in schema.get("fields", [])
        ]
        self._named.close(full)
        value = self._local("r")
        self._emit(at, f"{value} = {{{', '.join(fields)}}}")
        return value

    def _enum(self, schema: dict[str, Any], at: Place) -> str:
        self._named.define(schema, at)
        symbols = tuple(schema["symbols"])
        # An index below 64 is one byte: the byte itself finds the symbol.
        by_byte = tuple(
            symbols[index] if index is not None and 0 <= index < len(symbols) else None for index in _SIGNED
        )
        table, every = self._constant(by_byte), self._constant(symbols)
        value = self._local("e")
        self._reads += 1
        self._emit(at, f"{value} = {table}[data[p]]")
        self._emit(at, f"if {value} is None: {value}, p = read_symbol(data, p, {every})")
        self._emit(at, "else: p += 1")
        return value

    def _array(self, schema: dict[str, Any], at: Place) -> str:
        value, count = self._local("a"), self._local("c")
        self._reads += 1
        self._emit(at, f"{value} = []")
        self._emit(at, f"{count}, p = read_count(data, p)")
        self._emit(at, f"while {count}:")
        self._emit(at.deeper(), f"for _ in range({count}):")
        reads = self._reads
        item = self._value(schema["items"], at.deeper("[]").deeper())
        if self._reads == reads:  # items of no bytes: a count could not be checked against the body
            raise at.refuse("array items that may take no bytes are not supported")
        self._emit(at.deeper().deeper(), f"{value}.append({item})")
        self._emit(at.deeper(), f"{count}, p = read_count(data, p)")
        return value
