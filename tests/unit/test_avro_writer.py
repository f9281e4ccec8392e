"""The compiled Avro writer: fastavro's bytes for every record a contract admits, an error otherwise."""

from __future__ import annotations

import dataclasses
import enum
import io
import time
import uuid
from datetime import UTC, date, datetime
from fractions import Fraction
from typing import Any

import fastavro
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from streams.avro_writer import RecordMismatch, UnsupportedSchema, compile_writer
from streams.bench.samples import application_records
from streams.codec import Codec
from streams.contracts import Catalog, default_catalog
from streams.wire import frame
from tests.unit.avro_strategies import records
from tests.unit.conftest import FakeRegistry

CATALOG = default_catalog()
CONTRACTS = sorted(CATALOG, key=lambda c: c.full_name)
WRITERS = {contract.full_name: compile_writer(contract.schema) for contract in CONTRACTS}
PARSED = {
    contract.full_name: fastavro.parse_schema(contract.schema, named_schemas={}) for contract in CONTRACTS
}
# Each contract is its own test; a few examples each keep all of them to seconds.
PER_CONTRACT = settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def fastavro_bytes(schema: Any, record: Any) -> bytes:
    buffer = io.BytesIO()
    fastavro.schemaless_writer(buffer, fastavro.parse_schema(schema, named_schemas={}), record)
    return buffer.getvalue()


@pytest.mark.parametrize("contract", CONTRACTS, ids=lambda c: c.name)
@PER_CONTRACT
@given(data=st.data())
def test_every_record_a_contract_admits_is_written_as_fastavro_writes_it(contract, data):
    record = data.draw(records(contract.schema), label=contract.name)

    buffer = io.BytesIO()
    fastavro.schemaless_writer(buffer, PARSED[contract.full_name], record)
    assert WRITERS[contract.full_name](record) == buffer.getvalue()


def record_of(*fields: dict[str, Any], name: str = "Sample") -> dict[str, Any]:
    return {"type": "record", "name": name, "namespace": "test", "fields": list(fields)}


TIMESTAMP = {"type": "long", "logicalType": "timestamp-millis"}
DATE = {"type": "int", "logicalType": "date"}
UUID = {"type": "string", "logicalType": "uuid"}
COLOUR = {"type": "enum", "name": "Colour", "symbols": ["RED", "GREEN", "BLUE"]}
# Every kind the compiler writes, each also in the other forms fastavro.validation admits.
EVERY_KIND = record_of(
    {"name": "text", "type": "string"},
    {"name": "count", "type": "int"},
    {"name": "total", "type": "long"},
    {"name": "ratio", "type": "double"},
    {"name": "flag", "type": "boolean"},
    {"name": "nothing", "type": "null"},
    {"name": "colour", "type": COLOUR},
    {"name": "other_colour", "type": ["null", "Colour"]},
    {"name": "at", "type": TIMESTAMP},
    {"name": "on", "type": ["null", DATE]},
    {"name": "id", "type": UUID},
    {"name": "tags", "type": {"type": "array", "items": "string"}},
    {
        "name": "nested",
        "type": ["null", record_of({"name": "inner", "type": ["string", "null"]}, name="Inner")],
    },
    {"name": "many", "type": {"type": "array", "items": "test.Inner"}},
)


class Size(enum.IntEnum):
    SMALL = 1


def _moments() -> st.SearchStrategy[Any]:
    aware = st.datetimes(datetime(1, 1, 2), datetime(9999, 12, 30), timezones=st.just(UTC))
    return st.one_of(
        aware, st.datetimes(datetime(1900, 1, 2), datetime(2200, 1, 1)), st.integers(-(2**50), 2**50)
    )


def _days() -> st.SearchStrategy[Any]:
    return st.one_of(
        st.dates(), st.datetimes(), st.dates().map(date.isoformat), st.integers(-(2**31), 2**31 - 1)
    )


EVERY_FORM = st.fixed_dictionaries(
    {
        # 8,100 to 9,000 bytes: lengths on both sides of the precomputed table (8,192).
        "text": st.text(max_size=20) | st.integers(2700, 3000).map(lambda n: "字" * n),
        "count": st.integers(-(2**31), 2**31 - 1) | st.just(Size.SMALL),
        "total": st.integers(-(2**63), 2**63 - 1),
        "ratio": st.floats(allow_nan=False) | st.integers(-(2**70), 2**70) | st.just(Fraction(1, 3)),
        "flag": st.booleans(),
        "nothing": st.none(),
        "colour": st.sampled_from(COLOUR["symbols"]),
        "at": _moments(),
        "on": st.none() | _days(),
        "id": st.uuids() | st.uuids().map(str),
        "tags": st.lists(st.text(max_size=5), max_size=3).map(tuple) | st.lists(st.text(), max_size=3),
        "nested": st.none() | st.fixed_dictionaries({"inner": st.none() | st.text()}),
        "many": st.lists(st.fixed_dictionaries({"inner": st.none() | st.text()}), max_size=3),
    },
    # Left out, a union with null is written as null; a field the schema lacks is not written.
    optional={"other_colour": st.none() | st.sampled_from(COLOUR["symbols"]), "extra": st.integers()},
)


def fastavro_admits(schema: Any, record: Any) -> bool:
    try:
        return fastavro.validation.validate(
            record, fastavro.parse_schema(schema, named_schemas={}), raise_errors=False
        )
    except ValueError:  # its date conversion raises for a string that is no ISO date
        return False


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(EVERY_FORM)
def test_every_form_fastavro_admits_is_written_as_fastavro_writes_it(record):
    assert fastavro_admits(EVERY_KIND, record)
    assert compile_writer(EVERY_KIND)(record) == fastavro_bytes(EVERY_KIND, record)


def test_a_long_array_and_the_extremes_of_each_number():
    schema = record_of(
        {"name": "items", "type": {"type": "array", "items": "int"}},
        {"name": "low", "type": "long"},
        {"name": "high", "type": "long"},
        {"name": "least", "type": "int"},
    )
    record = {"items": list(range(-9000, 9000)), "low": -(2**63), "high": 2**63 - 1, "least": -(2**31)}
    assert compile_writer(schema)(record) == fastavro_bytes(schema, record)


@pytest.fixture
def shanghai_time(monkeypatch):
    monkeypatch.setenv("TZ", "Asia/Shanghai")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def test_a_naive_timestamp_is_local_time_as_fastavro_reads_it(shanghai_time):
    schema = record_of({"name": "at", "type": TIMESTAMP})
    record = {"at": datetime(2024, 2, 10, 8, 30, 0, 999)}
    assert compile_writer(schema)(record) == fastavro_bytes(schema, record)


def test_missing_fields_take_their_defaults_as_in_fastavro():
    schema = record_of(
        {"name": "city", "type": "string", "default": "宁波"},
        {"name": "floors", "type": "int", "default": 2},
        {"name": "tags", "type": {"type": "array", "items": "string"}, "default": []},
        {"name": "note", "type": ["null", "string"], "default": None},
        {"name": "kind", "type": ["string", "null"], "default": "shop"},
        {"name": "remark", "type": ["null", "string"]},  # no default: null
        {"name": "colour", "type": COLOUR, "default": "GREEN"},
    )
    assert compile_writer(schema)({}) == fastavro_bytes(schema, {})


def test_the_prefix_comes_first():
    schema = record_of({"name": "text", "type": "string"})
    header = frame(7, b"")
    assert compile_writer(schema, prefix=header)({"text": "x"}) == header + b"\x02x"


# Every flow's sample application, as a reader sees it.
SAMPLES = application_records(CATALOG, count=16)


def _changed(record: dict[str, Any], part: str, field: str, value: Any) -> dict[str, Any]:
    return {**record, part: {**record[part], field: value}}


def _without(record: dict[str, Any], part: str, field: str) -> dict[str, Any]:
    return {**record, part: {k: v for k, v in record[part].items() if k != field}}


@pytest.mark.parametrize(
    ("spoil", "field"),
    [
        (lambda r: _changed(r, "envelope", "case_id", 42), "envelope.case_id"),
        (lambda r: _changed(r, "envelope", "case_id", None), "envelope.case_id"),
        (lambda r: _changed(r, "envelope", "case_id", b"bytes"), "envelope.case_id"),
        (lambda r: _changed(r, "envelope", "occurred_at", "yesterday"), "envelope.occurred_at"),
        (lambda r: _changed(r, "envelope", "occurred_at", 1.5), "envelope.occurred_at"),
        (lambda r: _changed(r, "envelope", "occurred_at", 2**63), "envelope.occurred_at"),
        (lambda r: _changed(r, "envelope", "event_id", 7), "envelope.event_id"),
        (lambda r: _changed(r, "envelope", "causation_id", 7), "envelope.causation_id"),
        (lambda r: _changed(r, "envelope", "producer", "desk"), "envelope.producer"),
        (lambda r: _without(r, "envelope", "trace"), "envelope.trace"),
        (lambda r: {"envelope": r["envelope"]}, "payload"),
    ],
)
def test_a_record_its_schema_does_not_admit_raises_naming_the_field(spoil, field):
    contract, record = SAMPLES[0]
    with pytest.raises(RecordMismatch, match=f"^{field}[: ]"):
        WRITERS[contract.full_name](spoil(record))


@pytest.mark.parametrize(
    ("kind", "value"),
    [
        ("int", True),
        ("int", 2**31),
        ("int", 1.0),
        ("int", "1"),
        ("long", None),
        ("double", True),
        ("double", "1.5"),
        ("double", None),
        ("boolean", 1),
        ("boolean", "yes"),
        ("boolean", None),
        ("null", 0),
        (COLOUR, "PURPLE"),
        (COLOUR, 1),
        (["null", COLOUR], "PURPLE"),
        ({"type": "array", "items": "string"}, "abc"),
        ({"type": "array", "items": "string"}, iter(["a"])),
        ({"type": "array", "items": "string"}, {"a"}),
        ({"type": "array", "items": "string"}, [1]),
        (DATE, "not a date"),
        (DATE, 1.5),
        (TIMESTAMP, date(2024, 1, 1)),
        (UUID, 5),
        (record_of({"name": "inner", "type": "string"}, name="Inner"), [("inner", "x")]),
        (record_of(name="Empty"), 5),
    ],
)
def test_a_value_of_the_wrong_kind_raises_where_fastavro_validation_refuses_it(kind, value):
    schema = record_of({"name": "value", "type": kind})
    assert not fastavro_admits(schema, {"value": value})
    with pytest.raises(RecordMismatch, match=r"^value[:\[ ]"):
        compile_writer(schema)({"value": value})


def test_a_record_that_is_not_a_mapping_raises():
    with pytest.raises(RecordMismatch):
        compile_writer(record_of({"name": "text", "type": "string"}))(["text", "x"])


@pytest.mark.parametrize(
    "kind",
    [
        {"type": "map", "values": "string"},
        "bytes",
        "float",
        {"type": "fixed", "name": "Hash", "size": 4},
        ["null", "string", "int"],
        ["string", "int"],
        {"type": "long", "logicalType": "timestamp-micros"},
        {"type": "bytes", "logicalType": "decimal", "precision": 4},
        {"type": "string", "logicalType": "date"},
        "Undefined",
    ],
    ids=str,
)
def test_a_construct_it_does_not_write_is_refused_by_the_compiler(kind):
    with pytest.raises(UnsupportedSchema, match="value"):
        compile_writer(record_of({"name": "value", "type": kind}))


def test_a_recursive_record_is_refused_by_the_compiler():
    node = record_of(
        {"name": "label", "type": "string"}, {"name": "next", "type": ["null", "Node"]}, name="Node"
    )
    with pytest.raises(UnsupportedSchema, match="recursive"):
        compile_writer(node)


def test_a_named_type_is_found_in_its_namespace_and_by_full_name():
    tier = {"type": "enum", "name": "Tier", "symbols": ["CITY", "DISTRICT"]}
    schema = record_of(
        {
            "name": "inner",
            "type": record_of({"name": "tier", "type": tier}, name="Inner") | {"namespace": "other"},
        },
        {"name": "again", "type": "other.Tier"},
        {"name": "record_again", "type": ["null", "other.Inner"]},
    )
    record = {"inner": {"tier": "DISTRICT"}, "again": "CITY", "record_again": {"tier": "CITY"}}
    assert compile_writer(schema)(record) == fastavro_bytes(schema, record)
    with pytest.raises(UnsupportedSchema, match="unknown type 'Tier'"):
        compile_writer(
            record_of({"name": "inner", "type": schema}, {"name": "tier", "type": "Tier"}, name="Outer")
        )


def test_the_codec_encodes_a_contract_the_compiler_refuses_with_fastavro():
    contract, record = SAMPLES[0]
    schema = {**contract.schema, "fields": list(contract.schema["fields"])}
    payload = schema["fields"][1]["type"]
    extras = {"name": "extras", "type": {"type": "map", "values": "string"}, "default": {}}
    schema["fields"][1] = {"name": "payload", "type": {**payload, "fields": [*payload["fields"], extras]}}
    with pytest.raises(UnsupportedSchema, match="payload.extras"):
        compile_writer(schema)
    catalog = Catalog(CATALOG.envelope, [dataclasses.replace(contract, revisions=(schema,))])
    registry = FakeRegistry(catalog)
    codec = Codec(catalog, registry.ids, registry.schema_by_id)
    record = {**record, "payload": {**record["payload"], "extras": {"楼层": "2"}}}

    encoded = codec.encode(contract.full_name, record)

    assert encoded == frame(registry.ids[contract.full_name], fastavro_bytes(schema, record))
    assert codec.decode(encoded) == (catalog[contract.full_name], record)


def test_every_sample_application_comes_back_from_the_codec_unchanged():
    registry = FakeRegistry(CATALOG)
    codec = Codec(CATALOG, registry.ids, registry.schema_by_id)
    for contract, record in SAMPLES:
        encoded = codec.encode(contract.full_name, record)
        assert encoded == frame(registry.ids[contract.full_name], fastavro_bytes(contract.schema, record))
        decoded_as, decoded = codec.decode(encoded)
        assert (decoded_as, decoded) == (contract, record)


def test_uuid_objects_are_written_as_their_text():
    contract, record = SAMPLES[0]
    event_id = uuid.uuid4()
    as_object = _changed(record, "envelope", "event_id", event_id)
    as_text = _changed(record, "envelope", "event_id", str(event_id))
    assert WRITERS[contract.full_name](as_object) == WRITERS[contract.full_name](as_text)
