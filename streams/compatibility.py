"""Avro schema compatibility in Schema Registry terms, explained field by field.

The verdict always comes from Apache Avro's ReaderWriterCompatibilityChecker. Its result keeps
messages and locations in two unordered sets, so with several problems it cannot say which message
belongs where; the explanation therefore walks both schemas itself, asking the checker at each step
and describing only the places the checker rejects.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

import avro.errors
import avro.schema
from avro.compatibility import (
    ReaderWriterCompatibilityChecker,
    SchemaCompatibilityType,
    SchemaIncompatibilityType,
    lookup_writer_field,
    schema_name_equals,
)
from avro.schema import Schema

SchemaLike = str | dict | Schema

LEVELS = (
    "NONE",
    "BACKWARD",
    "BACKWARD_TRANSITIVE",
    "FORWARD",
    "FORWARD_TRANSITIVE",
    "FULL",
    "FULL_TRANSITIVE",
)

_NAMED = {"record", "enum", "fixed"}


class InvalidSchemaError(ValueError):
    """The text is not a valid Avro schema."""


def parse(schema_json: SchemaLike) -> Schema:
    """Parse a schema given as JSON text or a decoded dict (a parsed schema passes through)."""
    if isinstance(schema_json, Schema):
        return schema_json
    text = schema_json if isinstance(schema_json, str) else json.dumps(schema_json)
    try:
        return avro.schema.parse(text)
    except (avro.errors.AvroException, ValueError, TypeError) as exc:
        raise InvalidSchemaError(str(exc)) from exc


def backward_problems(new: SchemaLike, old: SchemaLike) -> list[str]:
    """Why the new schema (reader) cannot read data written with the old one; [] if it can."""
    return _problems(parse(new), parse(old), reader_role="new")


def forward_problems(new: SchemaLike, old: SchemaLike) -> list[str]:
    """Why the old schema (reader) cannot read data written with the new one; [] if it can."""
    return _problems(parse(old), parse(new), reader_role="old")


def full_problems(new: SchemaLike, old: SchemaLike) -> list[str]:
    return _unique(backward_problems(new, old) + forward_problems(new, old))


def problems(level: str, new: SchemaLike, history: Sequence[SchemaLike]) -> list[str]:
    """Problems registering `new` after `history` (the subject's schemas, oldest first) at `level`.

    Non-transitive levels compare with the latest schema only. Transitive levels compare with every
    schema and prefix each problem with the version it concerns (position i is version i + 1).
    """
    level = level.upper()
    if level not in LEVELS:
        raise ValueError(f"unknown compatibility level {level!r}; expected one of {LEVELS}")
    if level == "NONE" or not history:
        return []
    check = {"BACKWARD": backward_problems, "FORWARD": forward_problems, "FULL": full_problems}[
        level.removesuffix("_TRANSITIVE")
    ]
    parsed_new = parse(new)
    if not level.endswith("_TRANSITIVE"):
        return check(parsed_new, history[-1])
    found: list[str] = []
    for position, old in enumerate(history):
        found += [f"version {position + 1}: {p}" for p in check(parsed_new, old)]
    return found


def is_compatible(level: str, new: SchemaLike, history: Sequence[SchemaLike]) -> bool:
    return not problems(level, new, history)


# --- explanation walk ------------------------------------------------------------------------


def _problems(reader: Schema, writer: Schema, *, reader_role: str) -> list[str]:
    verdict = _check(reader, writer)
    if verdict.compatibility is not SchemaCompatibilityType.incompatible:
        return []
    walk = _Walk(reader_role)
    walk.pair(reader, writer, field=None, loc="")
    if not walk.found:
        # The walk should always find the checker's reason; never report "incompatible" silently.
        details = ", ".join(sorted(verdict.messages))
        walk.found.append(f"the schema (at {_at(verdict.locations)}) is incompatible: {details}")
    return _unique(walk.found)


def _check(reader: Schema, writer: Schema):
    # A fresh checker each time: its memo is keyed by object identity and is not meant to be reused.
    return ReaderWriterCompatibilityChecker().get_compatibility(reader, writer)


def _readable(reader: Schema, writer: Schema) -> bool:
    return _check(reader, writer).compatibility is not SchemaCompatibilityType.incompatible


class _Walk:
    """Collects one message per incompatible place, locations given in the reader's schema."""

    def __init__(self, reader_role: str) -> None:
        self.r = reader_role
        self.w = "old" if reader_role == "new" else "new"
        self.found: list[str] = []
        self._seen: set[tuple[int, int]] = set()  # recursive schemas must not loop forever

    def where(self, field: str | None, loc: str) -> str:
        what = f"field '{field}'" if field else "the schema"
        suffix = "" if self.r == "new" else " of the old schema"
        return f"{what} (at {loc or '/'}{suffix})"

    def add(self, field: str | None, loc: str, text: str) -> None:
        self.found.append(f"{self.where(field, loc)} {text}")

    def pair(self, reader: Schema, writer: Schema, *, field: str | None, loc: str) -> None:
        key = (id(reader), id(writer))
        if key in self._seen or _readable(reader, writer):
            return
        self._seen.add(key)
        if writer.type == "union" and reader.type != "union":
            # Every branch the writer may have used must be readable on its own.
            for branch in writer.schemas:
                self.pair(reader, branch, field=field, loc=loc)
            return
        if reader.type != writer.type:
            if reader.type == "union":
                self.union_miss(reader, writer, field=field, loc=loc)
            else:
                self.add(field, loc, self.mismatch(reader, writer))
            return
        if reader.type == "record":
            self.record(reader, writer, field=field, loc=loc)
        elif reader.type == "array":
            self.pair(reader.items, writer.items, field=f"{field or ''}[]", loc=f"{loc}/items")
        elif reader.type == "map":
            self.pair(reader.values, writer.values, field=f"{field or ''}{{}}", loc=f"{loc}/values")
        elif reader.type == "union":
            for branch in writer.schemas:
                if not _readable(reader, branch):
                    self.union_miss(reader, branch, field=field, loc=loc)
        else:
            self.named_leaf(reader, writer, field=field, loc=loc)

    def record(self, reader: Schema, writer: Schema, *, field: str | None, loc: str) -> None:
        if not schema_name_equals(reader, writer):
            self.add(field, f"{loc}/name", self.renamed(reader, writer))
        for index, reader_field in enumerate(reader.fields):
            name = f"{field}.{reader_field.name}" if field else reader_field.name
            field_loc = f"{loc}/fields/{index}"
            writer_field = lookup_writer_field(writer_schema=writer, reader_field=reader_field)
            if writer_field is not None:
                self.pair(reader_field.type, writer_field.type, field=name, loc=f"{field_loc}/type")
            elif not reader_field.has_default and not _enum_default(reader_field.type):
                self.add(name, field_loc, f"has no default and is missing from the {self.w} schema")

    def union_miss(self, reader: Schema, writer: Schema, *, field: str | None, loc: str) -> None:
        # Point inside the branch that was clearly meant to match (same type and name), if any.
        for index, branch in enumerate(reader.schemas):
            if branch.type == writer.type and (
                branch.type not in _NAMED or schema_name_equals(branch, writer)
            ):
                self.pair(branch, writer, field=field, loc=f"{loc}/{index}")
                return
        self.add(
            field,
            loc,
            f"cannot read the {self.w} {_describe(writer)}: "
            f"the {self.r} {_describe(reader)} has no branch for it",
        )

    def named_leaf(self, reader: Schema, writer: Schema, *, field: str | None, loc: str) -> None:
        kinds = set(_check(reader, writer).incompatibilities)
        if SchemaIncompatibilityType.name_mismatch in kinds:
            self.add(field, f"{loc}/name", self.renamed(reader, writer))
        if SchemaIncompatibilityType.missing_enum_symbols in kinds:
            missing = sorted(set(writer.symbols) - set(reader.symbols))
            self.add(
                field,
                f"{loc}/symbols",
                f"enum '{reader.fullname}' lacks the {self.w} symbols {missing} and has no default",
            )
        if SchemaIncompatibilityType.fixed_size_mismatch in kinds:
            self.add(
                field,
                f"{loc}/size",
                f"fixed '{reader.fullname}' has size {reader.size} in the {self.r} schema "
                f"but {writer.size} in the {self.w} schema",
            )

    def mismatch(self, reader: Schema, writer: Schema) -> str:
        return f"changed type: the {self.r} {_describe(reader)} cannot read the {self.w} {_describe(writer)}"

    def renamed(self, reader: Schema, writer: Schema) -> str:
        return (
            f"is named '{reader.fullname}' in the {self.r} schema but '{writer.fullname}' in the "
            f"{self.w} schema (add an alias to rename)"
        )


def _enum_default(schema: Schema) -> bool:
    # The checker lets a reader enum with its own default stand in for a missing field.
    return schema.type == "enum" and bool(schema.props.get("default"))


def _describe(schema: Schema) -> str:
    if schema.type == "union":
        return "union [" + ", ".join(_short(s) for s in schema.schemas) + "]"
    if schema.type in _NAMED:
        return f"{schema.type} '{schema.fullname}'"
    return f"type {_short(schema)}"


def _short(schema: Schema) -> str:
    if schema.type in _NAMED:
        return schema.fullname
    if schema.type == "array":
        return f"array<{_short(schema.items)}>"
    if schema.type == "map":
        return f"map<{_short(schema.values)}>"
    logical = schema.props.get("logicalType")
    return f"{schema.type}({logical})" if logical else str(schema.type)


def _at(locations: set[str]) -> str:
    real = sorted(loc for loc in locations if loc != "/")
    return ", ".join(real) or "/"


def _unique(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))
