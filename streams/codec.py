"""Avro encoding on the hot path; schema ids are known before the first event.

Writers use each contract's latest schema and the id the registry gave it at start-up. Readers
resolve the writer's schema by the id in the frame (cached after the first sight of an id) into the
contract's latest schema, so older and newer producers keep working side by side.

Records of our own schemas are written and read by code compiled for each contract on its first use
(streams/avro_writer.py, streams/avro_reader.py): the same bytes and records as fastavro in about
half the time. fastavro writes and reads a contract whose schema they cannot compile, and reads
every other revision, since resolving one schema into another is its job.
"""

from __future__ import annotations

import io
import json
import logging
import time
from collections.abc import Callable
from typing import Any

import fastavro
import fastavro.validation

from streams.avro_codegen import UnsupportedSchema
from streams.avro_reader import compile_reader
from streams.avro_writer import compile_writer
from streams.contracts import Catalog, Contract
from streams.wire import frame, unframe

log = logging.getLogger(__name__)


class DecodeError(ValueError):
    """A record that cannot become an event; the message is the dead-letter reason."""


class RegistryUnavailable(DecodeError):
    """The registry could not be asked about a schema id: a passing outage, not a bad record.

    A DecodeError for readers that skip what they cannot read; agents retry it instead.
    """


# Registry answers that say "this id does not exist" rather than "ask again later".
_NOT_FOUND_CODES = {40403, 404}
# How long such an answer stands: a burst of records with one bad id asks the registry once.
REFUSAL_MEMORY_SECONDS = 60.0


SchemaFetcher = Callable[[int], str]
Encoder = Callable[[dict[str, Any]], bytes]
# Reads the Avro body of a frame into a record.
BodyReader = Callable[[memoryview], dict[str, Any]]


class Codec:
    """Encodes and decodes every contract of a catalog in the Confluent wire format."""

    def __init__(self, catalog: Catalog, ids: dict[str, int], fetch_schema: SchemaFetcher) -> None:
        # ids maps a contract's full name to the registry id of its latest schema.
        self._catalog = catalog
        self._fetch_schema = fetch_schema
        self._writers: dict[str, tuple[int, Any]] = {}
        self._encoders: dict[str, Encoder] = {}  # compiled on first use
        # The same schemas for reading: uuids come back as the strings the platform uses.
        self._by_id: dict[int, tuple[Contract, Any]] = {}
        for contract in catalog:
            parsed = fastavro.parse_schema(contract.schema, named_schemas={})
            schema_id = ids[contract.full_name]
            self._writers[contract.full_name] = (schema_id, parsed)
            reader = fastavro.parse_schema(uuids_as_strings(contract.schema), named_schemas={})
            self._by_id[schema_id] = (contract, reader)
        self._readers: dict[int, tuple[Contract, BodyReader]] = {}
        # Ids the registry said it does not know: when it said so, and the reason.
        self._refused: dict[int, tuple[float, str]] = {}

    def schema_id(self, full_name: str) -> int:
        return self._writers[full_name][0]

    def encode(self, full_name: str, record: dict[str, Any]) -> bytes:
        """The framed record; one its schema does not admit raises (a ValueError naming the field)."""
        try:
            encoder = self._encoders[full_name]
        except KeyError:
            schema_id, parsed = self._writers[full_name]
            encoder = self._encoders[full_name] = _encoder(self._catalog[full_name], schema_id, parsed)
        return encoder(record)

    def knows(self, schema_id: int) -> bool:
        """Whether decoding this id needs no registry call."""
        return schema_id in self._readers or schema_id in self._by_id

    def refusal(self, schema_id: int) -> str | None:
        """The registry's recent "no such id" for ``schema_id``, if it gave one."""
        refused = self._refused.get(schema_id)
        if refused and time.monotonic() - refused[0] < REFUSAL_MEMORY_SECONDS:
            return refused[1]
        return None

    def learn(self, schema_id: int) -> None:
        """Fetch and cache the writer schema of an id (blocking: agents call it off the event loop).

        Raises DecodeError when the registry says the id is not one of ours, RegistryUnavailable
        when the registry cannot be reached or fails.
        """
        self._reader_for(schema_id)

    def decode(self, data: bytes | None) -> tuple[Contract, dict[str, Any]]:
        """Return the contract the record belongs to and the record, or raise DecodeError."""
        return self.decode_body(*self.split(data))

    def decode_body(self, schema_id: int, body: memoryview) -> tuple[Contract, dict[str, Any]]:
        """Decode the Avro body of an already split frame."""
        contract, read = self._reader_for(schema_id)
        try:
            record = read(body)
        except Exception as exc:  # corrupt input raises many types
            raise DecodeError(f"Avro body does not match schema id {schema_id}: {exc!r}") from None
        return contract, record

    @staticmethod
    def split(data: bytes | None) -> tuple[int, memoryview]:
        """The schema id and Avro body of framed bytes, or DecodeError."""
        try:
            return unframe(data)
        except ValueError as exc:
            raise DecodeError(str(exc)) from None

    def _reader_for(self, schema_id: int) -> tuple[Contract, BodyReader]:
        cached = self._readers.get(schema_id)
        if cached:
            return cached
        if schema_id in self._by_id:
            contract, parsed = self._by_id[schema_id]
            resolved = (contract, _own_reader(contract, parsed))
        else:
            contract, writer, reader = self._resolve_foreign(schema_id)
            resolved = (contract, _fastavro_reader(writer, reader))
        self._readers[schema_id] = resolved
        return resolved

    def _resolve_foreign(self, schema_id: int) -> tuple[Contract, Any, Any]:
        """A schema id this process did not register: another revision of one of our contracts."""
        try:
            writer_json = self._fetch_schema(schema_id)
        except Exception as exc:
            if getattr(exc, "error_code", None) in _NOT_FOUND_CODES:
                reason = f"unknown schema id {schema_id}: {exc}"
                self._refused[schema_id] = (time.monotonic(), reason)
                raise DecodeError(reason) from None
            raise RegistryUnavailable(f"schema id {schema_id}: registry unavailable: {exc}") from None
        writer = fastavro.parse_schema(uuids_as_strings(json.loads(writer_json)), named_schemas={})
        full_name = writer["name"]
        if full_name not in self._catalog:
            raise DecodeError(f"schema id {schema_id} is {full_name!r}, which no contract declares")
        contract = self._catalog[full_name]
        latest_id = self._writers[contract.full_name][0]
        return contract, writer, self._by_id[latest_id][1]


def _encoder(contract: Contract, schema_id: int, parsed: Any) -> Encoder:
    """The contract's compiled writer with the frame header as its first bytes, or fastavro's."""
    try:
        return compile_writer(contract.schema, prefix=frame(schema_id, b""))
    except UnsupportedSchema as exc:
        log.info("%s is encoded by fastavro: %s", contract.full_name, exc)

    def with_fastavro(record: dict[str, Any]) -> bytes:
        # fastavro's writer would turn "1" into 1.0 or True into 1 without a word: check first.
        fastavro.validation.validate(record, parsed, raise_errors=True)
        buffer = io.BytesIO()
        fastavro.schemaless_writer(buffer, parsed, record)
        return frame(schema_id, buffer.getvalue())

    return with_fastavro


def _own_reader(contract: Contract, parsed: Any) -> BodyReader:
    """The compiled reader of one of our schemas (no resolution to do), or fastavro's."""
    try:
        return compile_reader(uuids_as_strings(contract.schema))
    except UnsupportedSchema as exc:
        log.info("%s is decoded by fastavro: %s", contract.full_name, exc)
        return _fastavro_reader(parsed, None)


def _fastavro_reader(writer: Any, reader: Any) -> BodyReader:
    def read(body: memoryview) -> dict[str, Any]:
        return fastavro.schemaless_reader(io.BytesIO(body), writer, reader)

    return read


def uuids_as_strings(schema: Any) -> Any:
    """``schema`` with its uuid strings read as plain strings.

    Event ids are strings everywhere in the platform (keys, causation ids, dedupe tables); a
    ``uuid.UUID`` per decoded event was built only to be turned back into a string, and cost a
    quarter of the decoding time. The bytes on the wire are the same either way.
    """
    if isinstance(schema, list):
        return [uuids_as_strings(branch) for branch in schema]
    if not isinstance(schema, dict):
        return schema
    if schema.get("type") == "string" and schema.get("logicalType") == "uuid":
        return {key: value for key, value in schema.items() if key != "logicalType"}
    return {key: uuids_as_strings(value) for key, value in schema.items()}
