"""Confluent Schema Registry framing: magic byte 0, a 4-byte big-endian schema id, then Avro."""

from __future__ import annotations

import struct

MAGIC_BYTE = 0
_HEADER = struct.Struct(">bI")
HEADER_SIZE = _HEADER.size


class WireFormatError(ValueError):
    """The bytes are not a framed Avro record."""


def frame(schema_id: int, body: bytes) -> bytes:
    return _HEADER.pack(MAGIC_BYTE, schema_id) + body


def unframe(data: bytes | None) -> tuple[int, memoryview]:
    """Split framed bytes into (schema id, Avro body)."""
    if not data or len(data) < HEADER_SIZE:
        raise WireFormatError(f"record of {len(data or b'')} bytes is shorter than the 5-byte header")
    magic, schema_id = _HEADER.unpack_from(data)
    if magic != MAGIC_BYTE:
        raise WireFormatError(f"magic byte is {magic}, expected {MAGIC_BYTE}")
    return schema_id, memoryview(data)[HEADER_SIZE:]
