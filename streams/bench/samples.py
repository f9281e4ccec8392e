"""Realistic records for the benchmarks: every flow's sample application, as a reader sees it."""

from __future__ import annotations

from random import Random
from typing import Any

from streams import discovery
from streams.codec import Codec
from streams.contracts import Catalog, Contract
from streams.events import NewEvent
from streams.publisher import Publisher
from streams.service_desk import DESK, new_case_id
from streams.simulate import applicant_of


def offline_codec(catalog: Catalog) -> Codec:
    """A codec with made-up schema ids: encoding and decoding need no registry."""
    ids = {contract.full_name: number for number, contract in enumerate(catalog, start=1)}
    return Codec(catalog, ids, lambda schema_id: "")


def application_records(
    catalog: Catalog, *, count: int, seed: int = 11
) -> list[tuple[Contract, dict[str, Any]]]:
    """``count`` applications, every flow in turn, decoded back as an agent would see them."""
    codec = offline_codec(catalog)
    publisher = Publisher(catalog, codec, producer=DESK, version="bench")
    flows = [flow for flow in discovery.flows() if flow.sample is not None]
    rng = Random(seed)
    records = []
    for number in range(count):
        flow = flows[number % len(flows)]
        payload = flow.sample(rng)
        built = publisher.build(
            NewEvent(flow.application, payload, applicant_of(payload)), cause=None, case_id=new_case_id()
        )
        contract, record = codec.decode(built.value)
        # The UUID as a string, as the runtime hands it on (Apache avro accepts only strings).
        record["envelope"]["event_id"] = str(record["envelope"]["event_id"])
        records.append((contract, record))
    return records
