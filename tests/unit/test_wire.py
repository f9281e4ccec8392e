import pytest

from streams.wire import MAGIC_BYTE, WireFormatError, frame, unframe


def test_frame_is_magic_byte_then_big_endian_id_then_body():
    data = frame(258, b"avro")
    assert data == bytes([MAGIC_BYTE, 0, 0, 1, 2]) + b"avro"
    schema_id, body = unframe(data)
    assert schema_id == 258 and bytes(body) == b"avro"


@pytest.mark.parametrize("data", [b"", b"\x00\x00", None])
def test_short_records_are_refused(data):
    with pytest.raises(WireFormatError, match="shorter than the 5-byte header"):
        unframe(data)


def test_wrong_magic_byte_is_refused():
    with pytest.raises(WireFormatError, match="magic byte is 1"):
        unframe(b"\x01\x00\x00\x00\x01rest")
