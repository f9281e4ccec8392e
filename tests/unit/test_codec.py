import json

import pytest

from streams.codec import Codec, DecodeError, RegistryUnavailable
from streams.envelope import new_envelope
from streams.wire import frame


def license_record(**payload_overrides):
    envelope = new_envelope(
        event_type="gov.market_regulation.BusinessLicenseIssued",
        case_id="C-1",
        department="market_regulation",
        agent_version="1.0.0",
        subject="91330200205538859G",
    )
    payload = {
        "uscc": "91330200205538859G",
        "business_name": "阿娘面馆",
        "address": "宁波",
        "premises_area_m2": 120.0,
        "staff_count": 4,
        "signboard_text": None,
        **payload_overrides,
    }
    return {"envelope": envelope, "payload": payload}


def test_an_encoded_event_decodes_to_the_same_record(codec):
    record = license_record()
    contract, decoded = codec.decode(codec.encode("gov.market_regulation.BusinessLicenseIssued", record))
    assert contract.topic == "gov.market_regulation.business_license_issued.v1"
    # The optional seal the publisher adds reads as absent when a record was built without one.
    assert decoded["payload"] == {**record["payload"], "seal": None}
    assert str(decoded["envelope"]["event_id"]) == record["envelope"]["event_id"]


def test_the_frame_carries_the_registry_id(codec, registry):
    data = codec.encode("gov.market_regulation.BusinessLicenseIssued", license_record())
    assert data[0] == 0
    assert int.from_bytes(data[1:5], "big") == registry.ids["gov.market_regulation.BusinessLicenseIssued"]


def test_corrupt_bytes_name_the_problem(codec):
    with pytest.raises(DecodeError, match="magic byte"):
        codec.decode(b"\x07garbage")
    good = codec.encode("gov.market_regulation.BusinessLicenseIssued", license_record())
    with pytest.raises(DecodeError, match="does not match schema id"):
        codec.decode(good[:12])


def test_an_unknown_schema_id_is_a_decode_error(codec):
    with pytest.raises(DecodeError, match="unknown schema id 999"):
        codec.decode(frame(999, b"\x00"))


def test_an_older_revision_is_read_into_the_latest_schema(codec, registry, catalog):
    # An older producer wrote without signboard_text; the reader fills the default.
    contract = catalog["BusinessLicenseIssued"]
    old = json.loads(json.dumps(contract.schema))
    old_payload = old["fields"][1]["type"]
    old_payload["fields"] = [f for f in old_payload["fields"] if f["name"] != "signboard_text"]
    registry.extra[500] = json.dumps(old)

    import io

    import fastavro

    buffer = io.BytesIO()
    record = license_record()
    del record["payload"]["signboard_text"]
    fastavro.schemaless_writer(buffer, fastavro.parse_schema(old), record)
    _, decoded = codec.decode(frame(500, buffer.getvalue()))
    assert decoded["payload"]["signboard_text"] is None
    assert decoded["payload"]["business_name"] == "阿娘面馆"


def test_a_registry_that_cannot_be_reached_is_not_an_unknown_id(catalog, registry):
    def unreachable(schema_id: int) -> str:
        raise ConnectionRefusedError(111, "Connection refused")

    codec = Codec(catalog, registry.ids, unreachable)
    with pytest.raises(RegistryUnavailable, match="registry unavailable"):
        codec.decode(frame(999, b"\x00"))
