"""Hypothesis strategies built from Avro schemas: any record a contract admits, as fastavro reads it.

Values are drawn in the form the decoder returns (a plain string for a uuid, an aware UTC
``datetime`` of whole milliseconds for timestamp-millis, a ``date`` for date), so a round trip can
be compared with ``==``.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from hypothesis import strategies as st

INT32 = (-(2**31), 2**31 - 1)
INT64 = (-(2**63), 2**63 - 1)
# Every millisecond Python's datetime can hold, so timestamp-millis values cover their range.
EARLIEST = datetime(1, 1, 2, tzinfo=UTC)
LATEST = datetime(9999, 12, 30, tzinfo=UTC)
MAX_ITEMS = 3

_PRIMITIVES: dict[str, st.SearchStrategy[Any]] = {
    "null": st.none(),
    "boolean": st.booleans(),
    "int": st.integers(*INT32),
    "long": st.integers(*INT64),
    # NaN is never equal to itself; everything else a double holds must survive.
    "float": st.floats(allow_nan=False, width=32),
    "double": st.floats(allow_nan=False),
    "string": st.text(),
    "bytes": st.binary(),
}


def _timestamp_millis() -> st.SearchStrategy[datetime]:
    return st.datetimes(EARLIEST.replace(tzinfo=None), LATEST.replace(tzinfo=None)).map(
        lambda moment: moment.replace(microsecond=moment.microsecond // 1000 * 1000, tzinfo=UTC)
    )


_LOGICAL: dict[tuple[str, str], st.SearchStrategy[Any]] = {
    ("string", "uuid"): st.uuids().map(str),
    ("long", "timestamp-millis"): _timestamp_millis(),
    ("int", "date"): st.dates(),
}


def records(schema: Any) -> st.SearchStrategy[Any]:
    """Values of ``schema`` (Avro JSON as parsed from an .avsc)."""
    return _Builder().build(schema, namespace="")


class _Builder:
    def __init__(self) -> None:
        # Named types (records, enums, fixed) by full name, so later references resolve.
        self._named: dict[str, st.SearchStrategy[Any]] = {}

    def build(self, schema: Any, *, namespace: str) -> st.SearchStrategy[Any]:
        if isinstance(schema, list):
            return st.one_of([self.build(branch, namespace=namespace) for branch in schema])
        if isinstance(schema, str):
            if schema in _PRIMITIVES:
                return _PRIMITIVES[schema]
            return st.deferred(lambda: self._named[self._full_name(schema, namespace)])
        kind = schema["type"]
        logical = _LOGICAL.get((kind, schema.get("logicalType", "")))
        if logical is not None:
            return logical
        if kind == "record":
            return self._record(schema, namespace)
        if kind == "enum":
            return self._name(schema, namespace, st.sampled_from(schema["symbols"]))
        if kind == "fixed":
            size = schema["size"]
            return self._name(schema, namespace, st.binary(min_size=size, max_size=size))
        if kind == "array":
            return st.lists(self.build(schema["items"], namespace=namespace), max_size=MAX_ITEMS)
        if kind == "map":
            values = self.build(schema["values"], namespace=namespace)
            return st.dictionaries(st.text(), values, max_size=MAX_ITEMS)
        return self.build(kind, namespace=namespace)  # {"type": "string"} and the like

    def _record(self, schema: dict[str, Any], namespace: str) -> st.SearchStrategy[dict[str, Any]]:
        full_name = self._full_name(schema["name"], schema.get("namespace", namespace))
        inner = full_name.rpartition(".")[0]
        fields = {f["name"]: self.build(f["type"], namespace=inner) for f in schema["fields"]}
        return self._name(schema, namespace, st.fixed_dictionaries(fields))

    def _name(self, schema: dict[str, Any], namespace: str, strategy: st.SearchStrategy[Any]):
        self._named[self._full_name(schema["name"], schema.get("namespace", namespace))] = strategy
        return strategy

    @staticmethod
    def _full_name(name: str, namespace: str) -> str:
        return name if "." in name or not namespace else f"{namespace}.{name}"
