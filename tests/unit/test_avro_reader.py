"""The compiled Avro reader: fastavro's records from the same bytes, an error for bytes that do not fit."""

from __future__ import annotations

import io
import struct
from typing import Any

import fastavro
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from streams.avro_reader import compile_reader
from streams.avro_writer import UnsupportedSchema
from streams.codec import uuids_as_strings
from streams.contracts import default_catalog
from tests.unit.avro_strategies import records
from tests.unit.test_avro_writer import EVERY_KIND, fastavro_bytes, record_of

CATALOG = default_catalog()
CONTRACTS = sorted(CATALOG, key=lambda c: c.full_name)
# Read as the codec reads its own contracts: uuids as the strings they are on the wire.
READERS = {contract.full_name: compile_reader(uuids_as_strings(contract.schema)) for contract in CONTRACTS}
PER_CONTRACT = settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def fastavro_record(schema: Any, body: bytes) -> Any:
    return fastavro.schemaless_reader(io.BytesIO(body), fastavro.parse_schema(schema, named_schemas={}), None)


@pytest.mark.parametrize("contract", CONTRACTS, ids=lambda c: c.name)
@PER_CONTRACT
@given(data=st.data())
def test_every_record_a_contract_admits_reads_back_as_fastavro_reads_it(contract, data):
    record = data.draw(records(contract.schema), label=contract.name)
    body = fastavro_bytes(contract.schema, record)

    read = READERS[contract.full_name](body)

    assert read == record == fastavro_record(uuids_as_strings(contract.schema), body)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(records(EVERY_KIND))
def test_every_kind_reads_back_as_fastavro_reads_it(record):
    body = fastavro_bytes(EVERY_KIND, record)
    read = compile_reader(EVERY_KIND)(body)
    # Same values and types: uuid.UUID, aware datetimes, dates, lists, dicts.
    assert repr(read) == repr(fastavro_record(EVERY_KIND, body))


def test_it_reads_from_a_memoryview_and_ignores_what_follows_the_record_as_fastavro_does():
    schema = record_of({"name": "text", "type": "string"}, {"name": "at", "type": "long"})
    body = fastavro_bytes(schema, {"text": "宁波", "at": 2**40}) + b"\x00more"
    assert compile_reader(schema)(memoryview(body)) == {"text": "宁波", "at": 2**40}


def test_a_block_with_its_size_in_bytes_is_read():
    # Other writers may give an array block a negative count followed by the block's byte size.
    schema = record_of({"name": "tags", "type": {"type": "array", "items": "string"}})
    assert compile_reader(schema)(b"\x01\x04\x02a" + b"\x02\x02b" + b"\x00") == {"tags": ["a", "b"]}


STRINGS = record_of({"name": "tags", "type": {"type": "array", "items": "string"}})


@pytest.mark.parametrize(
    ("schema", "body"),
    [
        (record_of({"name": "text", "type": "string"}), b"\x0aab"),  # 5 bytes said, 2 there
        (record_of({"name": "text", "type": "string"}), b"\x03ab"),  # a negative length
        (record_of({"name": "text", "type": "string"}), b"\x04\xff\xfe"),  # no UTF-8
        (record_of({"name": "n", "type": "long"}), b"\xff" * 10 + b"\x01"),  # past 64 bits
        (record_of({"name": "n", "type": "long"}), b"\x80"),
        (record_of({"name": "ratio", "type": "double"}), b"\x00" * 7),
        (record_of({"name": "flag", "type": "boolean"}), b"\x02"),
        (record_of({"name": "note", "type": ["null", "string"]}), b"\x04"),  # no third branch
        (record_of({"name": "c", "type": {"type": "enum", "name": "C", "symbols": ["A"]}}), b"\x02"),
        (record_of({"name": "c", "type": {"type": "enum", "name": "C", "symbols": ["A"]}}), b"\x01"),
        (STRINGS, b"\xfe\xff\xff\xff\x0f\x00"),  # two billion items in six bytes
        (STRINGS, b"\x04\x02a"),  # the second item is missing
        (
            record_of({"name": "at", "type": {"type": "long", "logicalType": "timestamp-millis"}}),
            b"\xfe" * 9 + b"\x01",
        ),
    ],
)
def test_bytes_that_do_not_fit_the_schema_raise(schema, body):
    with pytest.raises((ValueError, IndexError, OverflowError, struct.error)):
        compile_reader(schema)(body)


def test_a_huge_array_count_is_refused_before_any_item_is_read():
    read = compile_reader(STRINGS)
    with pytest.raises(ValueError, match="cannot fit"):
        read(b"\xfe\xff\xff\xff\xff\xff\xff\xff\x7f")


@pytest.mark.parametrize(
    "kind",
    [
        {"type": "map", "values": "string"},
        "bytes",
        ["null", "string", "int"],
        {"type": "long", "logicalType": "timestamp-micros"},
        {"type": "array", "items": "null"},
        {"type": "array", "items": record_of(name="Empty")},
        "Undefined",
    ],
    ids=str,
)
def test_a_construct_it_does_not_read_is_refused_by_the_compiler(kind):
    with pytest.raises(UnsupportedSchema, match="value"):
        compile_reader(record_of({"name": "value", "type": kind}))
