"""Avro binary encoders compiled per schema: one function ``record -> bytes`` for each contract.

fastavro interprets the schema again for every record it writes. A schema known at start-up can
instead become Python source once, as dataclasses and attrs write their methods: each field turns
into a few straight lines that fetch the value, check it and append its bytes to one bytearray,
with lengths and small integers taken from precomputed tables.

The bytes are exactly those of ``fastavro.schemaless_writer``. The values admitted are the ones
``fastavro.validation`` admits (an int for a double; a str or a uuid.UUID for a uuid; a datetime or
an int for timestamp-millis; a date, a datetime, an ISO string or an int for a date), converted as
fastavro converts them; a missing field takes its default, or null in a union with null. Anything
else raises RecordMismatch naming the field, also where fastavro would have written something
(True for an int, a str for a boolean).

Constructs the platform's contracts do not use (map, bytes, fixed, float, unions of two non-null
branches, recursive records, other logical types) raise UnsupportedSchema: the caller keeps
fastavro for that schema.
"""

from __future__ import annotations

import array
import itertools
import numbers
import struct
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, date, datetime
from typing import Any, NoReturn

from fastavro.logical_writers import LOGICAL_WRITERS

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

Writer = Callable[[Any], bytes]
__all__ = ["RecordMismatch", "UnsupportedSchema", "Writer", "compile_writer"]


class RecordMismatch(ValueError):
    """A record the schema does not admit; the message names the field."""


# Varint bytes of every value below 2**14 (one or two bytes), and the same 14 bits as two bytes
# that both carry the continuation bit, so a long takes one look-up per 14 bits.
_TABLE = 1 << 14
_VARINTS = tuple(bytes((z,)) if z < 0x80 else bytes((z & 0x7F | 0x80, z >> 7)) for z in range(_TABLE))
_CHUNKS = tuple(bytes((z & 0x7F | 0x80, z >> 7 | 0x80)) for z in range(_TABLE))
# A length or an item count n is written as the zigzag varint of n, which is the varint of 2n.
_SIZED = _TABLE // 2
_SIZES = _VARINTS[::2]

_pack_double = struct.Struct("<d").pack
_prepare_millis = LOGICAL_WRITERS["long-timestamp-millis"]
_prepare_date = LOGICAL_WRITERS["int-date"]
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_EPOCH_DAY = date(1970, 1, 1).toordinal()


def _varint(z: int) -> bytes:
    """Base-128 bytes of a non-negative int, least significant group first."""
    if z < _TABLE:
        return _VARINTS[z]
    if z < 1 << 42:  # up to a zigzagged millisecond timestamp of 2039
        if z < 1 << 28:
            return _CHUNKS[z & 0x3FFF] + _VARINTS[z >> 14]
        return _CHUNKS[z & 0x3FFF] + _CHUNKS[z >> 14 & 0x3FFF] + _VARINTS[z >> 28]
    out = b""
    while z >= _TABLE:
        out += _CHUNKS[z & 0x3FFF]
        z >>= 14
    return out + _VARINTS[z]


def _size(n: int) -> bytes:
    return _varint(n << 1)


def _integer(value: Any, kind: str) -> int:
    # fastavro.validation admits any Integral but a bool (an IntEnum, a numpy int).
    if isinstance(value, numbers.Integral) and not isinstance(value, bool):
        return int(value)
    raise TypeError(f"expected an Avro {kind}, got {_shown(value)}")


def _zigzag(kind: str, bits: int) -> Callable[[Any], bytes]:
    """The writer of an Avro int (32 bits) or long (64): range-checked, zigzag, varint."""
    low, high = -(2 ** (bits - 1)), 2 ** (bits - 1)

    def write(value: Any) -> bytes:
        if value.__class__ is not int:
            value = _integer(value, kind)
        if not low <= value < high:
            raise ValueError(f"{value} is out of range for an Avro {kind}")
        return _varint(value << 1 ^ value >> 63)

    return write


_long, _int = _zigzag("long", 64), _zigzag("int", 32)


def _double(value: Any) -> bytes:
    """A double given as another Real than a float (an int, a Fraction): packed as fastavro does."""
    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        return _pack_double(value)
    raise TypeError(f"expected an Avro double, got {_shown(value)}")


def _timestamp_millis(value: Any, schema: dict[str, Any]) -> bytes:
    # An aware datetime counts whole milliseconds since the epoch, rounded down as fastavro rounds
    # them; anything else goes through fastavro's conversion (a naive datetime is local time there).
    if value.__class__ is datetime and value.tzinfo is not None:
        delta = value - _EPOCH
        millis = (delta.days * 86400 + delta.seconds) * 1000 + delta.microseconds // 1000
        return _varint(millis << 1 ^ millis >> 63)  # any datetime's milliseconds fit a long
    return _long(_prepare_millis(value, schema))


def _days(value: Any, schema: dict[str, Any]) -> bytes:
    # fastavro's conversion also takes a datetime (its date) and an ISO string.
    if value.__class__ is date:
        days = value.toordinal() - _EPOCH_DAY
        return _varint(days << 1 ^ days >> 63)  # any date's days fit an int
    return _int(_prepare_date(value, schema))


def _sequence(value: Any) -> None:
    if isinstance(value, str) or not isinstance(value, Sequence | array.array):
        raise TypeError(f"expected an Avro array (a sequence), got {_shown(value)}")


def _wrong(value: Any, expected: str) -> NoReturn:
    raise TypeError(f"expected {expected}, got {_shown(value)}")


def _not_a_symbol(value: Any, symbols: Mapping[str, bytes]) -> NoReturn:
    raise ValueError(f"{_shown(value)} is not one of the symbols {', '.join(symbols)}")


def _shown(value: Any) -> str:
    text = repr(value)
    return f"{type(value).__name__} {text if len(text) <= 60 else text[:57] + '...'}"


def _mismatch(exc: Exception, paths: Mapping[int, str]) -> RecordMismatch:
    """The error of a generated writer, named by the field whose line raised it."""
    traceback = exc.__traceback__
    path = paths.get(traceback.tb_lineno, "the record") if traceback else "the record"
    if isinstance(exc, KeyError):  # the only subscripts that can miss are field look-ups
        return RecordMismatch(f"{path} is missing and its schema gives no default")
    return RecordMismatch(f"{path}: {exc}")


# What every generated writer can call, by the names its source uses.
_RUNTIME: dict[str, Any] = {
    "SIZES": _SIZES,
    "SIZED": _SIZED,
    "write_size": _size,
    "write_long": _long,
    "write_int": _int,
    "pack_double": _pack_double,
    "write_double": _double,
    "write_millis": _timestamp_millis,
    "write_days": _days,
    "uuid_text": LOGICAL_WRITERS["string-uuid"],
    "encode": str.encode,
    "check_sequence": _sequence,
    "wrong": _wrong,
    "not_a_symbol": _not_a_symbol,
    "mismatch": _mismatch,
    "Mapping": Mapping,
}


def compile_writer(schema: Any, *, prefix: bytes = b"") -> Writer:
    """A function writing a record of ``schema`` (Avro JSON as parsed from an .avsc) after
    ``prefix`` (a wire header); UnsupportedSchema for a schema it cannot write."""
    return _Compiler().build(schema, prefix)


class _Compiler:
    def __init__(self) -> None:
        self._lines: list[tuple[str, str]] = []  # (indented code, field path)
        self._constants: dict[str, Any] = {}
        self._named = NamedTypes()
        self._locals = itertools.count(1)

    def build(self, schema: Any, prefix: bytes) -> Writer:
        self._value(schema, "record", Place(2, "", ""))
        head = ["def write(record):", "    try:", f"        out = bytearray({bytes(prefix)!r})"]
        tail = ["        return bytes(out)", "    except Exception as exc:"]
        tail.append("        raise mismatch(exc, PATHS) from exc")
        # An error names the field of the line that raised it.
        paths = {len(head) + 1 + number: path or "the value" for number, (_, path) in enumerate(self._lines)}
        source = "\n".join([*head, *(code for code, _ in self._lines), *tail]) + "\n"
        scope = {**_RUNTIME, **self._constants, "PATHS": paths}
        name = schema.get("name", "") if isinstance(schema, dict) else ""
        return function(source, "write", scope, f"avro writer {name}")

    def _emit(self, at: Place, code: str) -> None:
        self._lines.append(("    " * at.indent + code, at.path))

    def _constant(self, value: Any) -> str:
        name = f"K{len(self._constants) + 1}"
        self._constants[name] = value
        return name

    def _bind(self, expr: str, at: Place, stem: str = "v") -> str:
        """A local holding ``expr``, for code that reads a value more than once."""
        if expr.isidentifier():
            return expr
        name = f"{stem}{next(self._locals)}"
        self._emit(at, f"{name} = {expr}")
        return name

    def _value(self, schema: Any, expr: str, at: Place) -> None:
        """Lines appending the bytes of the value ``expr`` evaluates to, as ``schema`` writes it."""
        if isinstance(schema, list):
            self._union(schema, expr, at)
        elif isinstance(schema, dict):
            self._complex(schema, expr, at)
        elif schema in PRIMITIVES:
            self._primitive(schema, expr, at)
        else:
            refuse_other_primitives(schema, at)
            named, at = self._named.resolve(schema, at)
            self._complex(named, expr, at)

    def _complex(self, schema: dict[str, Any], expr: str, at: Place) -> None:
        kind, logical = kind_of(schema, at)
        if logical is not None:
            self._logical(schema, kind, expr, at)
        elif kind == "record":
            self._record(schema, expr, at)
        elif kind == "enum":
            self._enum(schema, expr, at)
        elif kind == "array":
            self._array(schema, expr, at)
        else:  # {"type": "string"}, or a named type given in a dict
            self._value(kind, expr, at)

    def _primitive(self, kind: str, expr: str, at: Place) -> None:
        if kind == "string":
            # str.encode itself refuses anything but a str.
            self._emit(at, f"b = encode({expr})")
            self._emit(at, "n = len(b)")
            self._emit(at, "out += SIZES[n] if n < SIZED else write_size(n)")
            self._emit(at, "out += b")
        elif kind in ("long", "int"):
            self._emit(at, f"out += write_{kind}({expr})")
        elif kind == "double":
            value = self._bind(expr, at)
            packed = f"pack_double({value}) if {value}.__class__ is float else write_double({value})"
            self._emit(at, f"out += {packed}")
        elif kind == "boolean":
            value = self._bind(expr, at)
            self._emit(at, f"if {value} is True: out += b'\\x01'")
            self._emit(at, f"elif {value} is False: out += b'\\x00'")
            self._emit(at, f"else: wrong({value}, 'a boolean')")
        else:  # null: nothing on the wire, but only None is a null
            value = self._bind(expr, at)
            self._emit(at, f"if {value} is not None: wrong({value}, 'null')")

    def _logical(self, schema: dict[str, Any], kind: str, expr: str, at: Place) -> None:
        value = self._bind(expr, at)
        own = self._constant(schema)
        if kind == "string":  # a uuid.UUID becomes its text, as fastavro turns it
            self._primitive(kind, f"{value} if {value}.__class__ is str else uuid_text({value}, {own})", at)
            return
        plain, convert = ("write_long", "write_millis") if kind == "long" else ("write_int", "write_days")
        self._emit(at, f"out += {plain}({value}) if {value}.__class__ is int else {convert}({value}, {own})")

    def _union(self, branches: list[Any], expr: str, at: Place) -> None:
        null, other = null_and_other(branches, at)
        value = self._bind(expr, at)
        if null is not None:
            self._emit(at, f"if {value} is None: out += {_varint(null << 1)!r}")
            if other is None:
                self._emit(at, f"else: wrong({value}, 'null')")
                return
            self._emit(at, "else:")
            at = at.deeper()
        if other is not None:
            self._emit(at, f"out += {_varint(other << 1)!r}")
            self._value(branches[other], value, at)

    def _record(self, schema: dict[str, Any], expr: str, at: Place) -> None:
        full, inner = self._named.define(schema, at)
        self._named.open(full, at)
        record = self._bind(expr, at, "r")
        mapping = f"{record}.__class__ is dict or isinstance({record}, Mapping)"
        self._emit(at, f"if not ({mapping}): wrong({record}, 'a record (a mapping)')")
        for field in schema.get("fields", []):
            name, kind = field["name"], field["type"]
            if "default" in field and field["default"] is not None:
                value = f"{record}.get({name!r}, {self._constant(field['default'])})"
            elif "default" in field or kind == "null" or (isinstance(kind, list) and "null" in kind):
                value = f"{record}.get({name!r})"  # fastavro writes null for a missing nullable field
            else:
                value = f"{record}[{name!r}]"
            self._value(kind, value, at.field(name, inner))
        self._named.close(full)

    def _enum(self, schema: dict[str, Any], expr: str, at: Place) -> None:
        self._named.define(schema, at)
        symbols = {symbol: _varint(index << 1) for index, symbol in enumerate(schema["symbols"])}
        table = self._constant(symbols)
        value = self._bind(expr, at)
        self._emit(at, f"out += {table}.get({value}) or not_a_symbol({value}, {table})")

    def _array(self, schema: dict[str, Any], expr: str, at: Place) -> None:
        items = self._bind(expr, at, "a")
        count, item = f"c{next(self._locals)}", f"i{next(self._locals)}"
        self._emit(at, f"if {items}.__class__ is not list: check_sequence({items})")
        self._emit(at, f"{count} = len({items})")
        self._emit(at, f"if {count}:")
        self._emit(at.deeper(), f"out += SIZES[{count}] if {count} < SIZED else write_size({count})")
        self._emit(at.deeper(), f"for {item} in {items}:")
        self._value(schema["items"], item, at.deeper("[]").deeper())
        self._emit(at, "out += b'\\x00'")
