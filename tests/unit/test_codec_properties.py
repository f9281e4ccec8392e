"""Properties of the codec: every contract's records survive the wire, and no bytes break a reader."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from streams.codec import Codec, DecodeError
from streams.contracts import default_catalog
from streams.wire import frame
from tests.unit.avro_strategies import records
from tests.unit.conftest import FakeRegistry

CATALOG = default_catalog()
REGISTRY = FakeRegistry(CATALOG)
CONTRACTS = sorted(CATALOG, key=lambda c: c.full_name)
KNOWN_IDS = sorted(REGISTRY.ids.values())
# Each contract is its own test; a few examples each keep all of them to seconds.
PER_CONTRACT = settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])


CODEC = Codec(CATALOG, REGISTRY.ids, REGISTRY.schema_by_id)


@pytest.mark.parametrize("contract", CONTRACTS, ids=lambda c: c.name)
@PER_CONTRACT
@given(data=st.data())
def test_every_record_a_contract_admits_comes_back_unchanged(contract, data):
    record = data.draw(records(contract.schema), label=contract.name)

    decoded_as, decoded = CODEC.decode(CODEC.encode(contract.full_name, record))

    assert decoded_as.full_name == contract.full_name
    assert decoded == record


def _valid_frames() -> st.SearchStrategy[bytes]:
    """Real encoded events of any contract: the start of a corruption that looks plausible."""
    return st.sampled_from(CONTRACTS).flatmap(
        lambda contract: records(contract.schema).map(lambda r: CODEC.encode(contract.full_name, r))
    )


@st.composite
def _corrupted(draw: st.DrawFn) -> bytes:
    data = bytearray(draw(_valid_frames()))
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(data) - 1))
        how = draw(st.sampled_from(["flip", "cut", "insert"]))
        if how == "flip":
            data[at] = draw(st.integers(0, 255))
        elif how == "cut":
            del data[at:]
            if not data:
                break
        else:
            data[at:at] = draw(st.binary(min_size=1, max_size=8))
    return bytes(data)


ANY_BYTES = st.one_of(
    st.binary(max_size=64),
    st.builds(frame, st.sampled_from(KNOWN_IDS), st.binary(max_size=64)),
    st.builds(frame, st.integers(0, 2**32 - 1), st.binary(max_size=16)),
    _corrupted(),
)


# A decode that hangs fails the deadline; fastavro is fast, so a second is plenty.
@settings(max_examples=250, deadline=1000, suppress_health_check=[HealthCheck.too_slow])
@given(ANY_BYTES)
def test_any_bytes_decode_or_raise_decode_error(data):
    try:
        contract, record = CODEC.decode(data)
    except DecodeError:
        return
    assert contract.full_name in CATALOG
    assert set(record) == {"envelope", "payload"}
