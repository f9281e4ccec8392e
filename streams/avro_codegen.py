"""What the compiled Avro writer and reader share: the schema constructs they handle, named types
with their namespaces, and turning generated source into a function."""

from __future__ import annotations

import itertools
import linecache
from collections.abc import Callable
from typing import Any, NamedTuple

# The constructs the platform's contracts use; anything else is left to fastavro.
PRIMITIVES = {"null", "boolean", "int", "long", "double", "string"}
LOGICAL = {("long", "timestamp-millis"), ("int", "date"), ("string", "uuid")}
_REFUSED_KINDS = {"float", "bytes", "map", "fixed", "error"}
_serial = itertools.count(1)


class UnsupportedSchema(ValueError):
    """A schema construct the compiler does not handle: fastavro handles that schema instead."""


class Place(NamedTuple):
    """Where generated code goes: its indentation, the field it handles, the enclosing namespace."""

    indent: int
    path: str
    namespace: str

    def field(self, name: str, namespace: str) -> Place:
        return Place(self.indent, f"{self.path}.{name}" if self.path else name, namespace)

    def deeper(self, path_suffix: str = "") -> Place:
        return Place(self.indent + 1, self.path + path_suffix, self.namespace)

    def refuse(self, why: str) -> UnsupportedSchema:
        return UnsupportedSchema(f"{self.path or 'the schema'}: {why}")


def kind_of(schema: dict[str, Any], at: Place) -> tuple[str, str | None]:
    """The type and logical type of a schema in a dict, refusing what neither compiler handles."""
    kind, logical = schema.get("type"), schema.get("logicalType")
    if not isinstance(kind, str) or kind in _REFUSED_KINDS:
        raise at.refuse(f"type {kind!r} is not supported")
    if logical is not None and (kind, logical) not in LOGICAL:
        raise at.refuse(f"{kind} with logicalType {logical!r} is not supported")
    return kind, logical


def null_and_other(branches: list[Any], at: Place) -> tuple[int | None, int | None]:
    """The positions of a union's null and of its one other branch (either may be absent)."""
    others = [index for index, branch in enumerate(branches) if branch != "null"]
    nulls = [index for index, branch in enumerate(branches) if branch == "null"]
    if len(others) > 1 or len(nulls) > 1 or any(isinstance(branch, list) for branch in branches):
        raise at.refuse("only a union of null and one other type is supported")
    return (nulls[0] if nulls else None), (others[0] if others else None)


class NamedTypes:
    """The records and enums a schema defines, by full name, as the Avro spec resolves them."""

    def __init__(self) -> None:
        # Each type's schema and the namespace the definitions inside it inherit.
        self._named: dict[str, tuple[dict[str, Any], str]] = {}
        self._open: set[str] = set()  # records whose code is being generated

    def define(self, schema: dict[str, Any], at: Place) -> tuple[str, str]:
        """Register a named type: its full name, and the namespace of the definitions inside it."""
        name = schema.get("name")
        if not isinstance(name, str) or not name:
            raise at.refuse("a named type without a name")
        full = _full_name(name, schema.get("namespace", at.namespace))
        known = self._named.get(full)
        if known is not None and known[0] is not schema:
            raise at.refuse(f"{full} is defined twice")
        inner = full.rpartition(".")[0]
        self._named[full] = (schema, inner)
        return full, inner

    def resolve(self, name: str, at: Place) -> tuple[dict[str, Any], Place]:
        """The schema a type name refers to, and where its code goes."""
        for full in (_full_name(name, at.namespace), name):
            if full in self._named:
                schema, inner = self._named[full]
                return schema, at._replace(namespace=inner)
        raise at.refuse(f"unknown type {name!r}")

    def open(self, full: str, at: Place) -> None:
        # Generated code is inlined, so a record inside itself would never end.
        if full in self._open:
            raise at.refuse(f"recursive record {full} is not supported")
        self._open.add(full)

    def close(self, full: str) -> None:
        self._open.discard(full)


def refuse_other_primitives(schema: Any, at: Place) -> None:
    if not isinstance(schema, str) or schema in _REFUSED_KINDS:
        raise at.refuse(f"type {schema!r} is not supported")


def function(source: str, name: str, scope: dict[str, Any], label: str) -> Callable[..., Any]:
    """The function ``name`` that ``source`` defines, run in ``scope``; tracebacks show its lines."""
    filename = f"<{label} #{next(_serial)}>"
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    namespace = dict(scope)
    exec(compile(source, filename, "exec"), namespace)
    return namespace[name]


def _full_name(name: str, namespace: str) -> str:
    return name if "." in name or not namespace else f"{namespace}.{name}"
