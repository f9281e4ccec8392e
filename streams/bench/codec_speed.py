"""The platform's encode + decode per event against the Apache ``avro`` library, same records.

Both sides frame and unframe the Confluent header and cache their parsed schemas, so the
difference is the Avro work alone. Each side's best of a few rounds is kept (least disturbed by
whatever else the machine runs).
"""

from __future__ import annotations

import io
import json
import time
from collections.abc import Callable
from typing import Any

import avro.io
import avro.schema

from streams.bench.figures import Figure, Target
from streams.bench.samples import application_records, offline_codec
from streams.contracts import Catalog, Contract, default_catalog
from streams.wire import frame, unframe

TARGET = Target(">=", 8)
ROUNDS = 3


def _best_rate(work: Callable[[], None], events: int, rounds: int) -> float:
    best = float("inf")
    for _ in range(rounds):
        started = time.perf_counter()
        work()
        best = min(best, time.perf_counter() - started)
    return events / best


def measure_codec(*, events: int = 4000, catalog: Catalog | None = None, rounds: int = ROUNDS) -> Figure:
    catalog = catalog or default_catalog()
    records = application_records(catalog, count=events)
    codec = offline_codec(catalog)
    contracts = {contract.full_name: contract for contract, _ in records}
    apache = _ApacheCodec(list(contracts.values()), codec.schema_id)

    def platform() -> None:
        for contract, record in records:
            codec.decode(codec.encode(contract.full_name, record))

    def baseline() -> None:
        for contract, record in records:
            apache.decode(apache.encode(contract, record))

    ours = _best_rate(platform, len(records), rounds)
    theirs = _best_rate(baseline, len(records), rounds)
    return Figure(
        "codec_speedup_vs_avro",
        ours,
        theirs,
        TARGET,
        unit="events/s encoded and decoded",
        baseline_is="Apache avro DatumWriter/DatumReader on the same records, same framing",
        details={"events": len(records), "contracts": len(contracts)},
    )


class _ApacheCodec:
    """What the platform's codec does, written with the Apache library (the baseline)."""

    def __init__(self, contracts: list[Contract], schema_id: Callable[[str], int]) -> None:
        self._writers: dict[str, tuple[int, Any]] = {}
        self._readers: dict[int, Any] = {}
        for contract in contracts:
            parsed = avro.schema.parse(json.dumps(contract.schema))
            number = schema_id(contract.full_name)
            self._writers[contract.full_name] = (number, avro.io.DatumWriter(parsed))
            self._readers[number] = avro.io.DatumReader(parsed)

    def encode(self, contract: Contract, record: dict[str, Any]) -> bytes:
        number, writer = self._writers[contract.full_name]
        buffer = io.BytesIO()
        writer.write(record, avro.io.BinaryEncoder(buffer))
        return frame(number, buffer.getvalue())

    def decode(self, data: bytes) -> dict[str, Any]:
        number, body = unframe(data)
        return self._readers[number].read(avro.io.BinaryDecoder(io.BytesIO(body)))
